import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { describeTarget, type CommandScope } from '../../ipc/context';
import * as repo from './repo';
import { isOpenStage } from './rules';

// The boundary with a remote KYC provider (Sumsub-style webhooks, DOMAIN 2.3). The bank's
// verification is decided at the desk today; this adapter lets a provider decide instead, without
// an HTTP server in the app: whatever receives the webhook (a gateway, a relay) calls
// CustomerService.kycCallback(payload). Each callback is applied once per (id, time), recorded
// in kyc_callbacks, in one audited command.
//
// | callback                                   | effect                                               |
// | ------------------------------------------ | ---------------------------------------------------- |
// | applicantCreated                           | store the applicant id; New → KycStarted             |
// | applicantPending                           | KycStarted → KycPending (stage only)                 |
// | applicantReviewed GREEN                    | verification Verified, level Basic, review recorded  |
// | applicantReviewed RED                      | verification Rejected with labels and comments,      |
// |                                            | stage KycDeclined (unless already Verified: kept)    |
// | applicantPersonalInfoChanged, anything else| logged only                                          |

const bounded = (max: number) => z.string().max(max);

export const kycCallbackSchema = z.looseObject({
  applicantId: bounded(64).min(1),
  inspectionId: bounded(64).optional(),
  correlationId: bounded(128).min(1),
  /** Our prospect id, given to the provider when the applicant was created. */
  externalUserId: bounded(128),
  levelName: bounded(128).optional(),
  type: bounded(64).min(1),
  sandboxMode: z.boolean().optional(),
  reviewStatus: bounded(32).optional(),
  createdAtMs: bounded(40).min(1),
  clientId: bounded(128).optional(),
  reviewResult: z
    .looseObject({
      reviewAnswer: z.enum(['GREEN', 'RED']),
      rejectLabels: z.array(bounded(64)).max(50).optional(),
      reviewRejectType: z.enum(['FINAL', 'RETRY']).optional(),
      moderationComment: bounded(2000).optional(),
      clientComment: bounded(2000).optional(),
    })
    .optional(),
});
export type KycCallback = z.infer<typeof kycCallbackSchema>;

export const kycCallbackOutcome = z.object({
  applied: z.boolean(),
  effect: z.enum(['applicantStored', 'pending', 'verified', 'rejected', 'logged']),
});
export type KycCallbackOutcome = z.infer<typeof kycCallbackOutcome>;

/** A malformed callback is refused as a whole: nothing is recorded. */
export function parseKycCallback(payload: unknown): KycCallback {
  const parsed = kycCallbackSchema.safeParse(payload);
  if (!parsed.success) {
    throw new AppError('KYC_CALLBACK_INVALID', {
      fields: [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(root)'))],
    });
  }
  return parsed.data;
}

/** The command id of a callback: the same (id, time) always makes the same command. */
export function callbackCommandId(cb: Pick<KycCallback, 'correlationId' | 'createdAtMs'>): string {
  const h = createHash('sha256')
    .update(`kyc-callback\u001f${cb.correlationId}\u001f${cb.createdAtMs}`)
    .digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function applyKycCallback(scope: CommandScope, cb: KycCallback): Promise<KycCallbackOutcome> {
  if (!UUID.test(cb.externalUserId))
    throw new AppError('KYC_CALLBACK_INVALID', { fields: ['externalUserId'] });
  const p = await repo.findProspect(scope.trx, cb.externalUserId, true);
  if (!p) throw new AppError('NOT_FOUND', { entity: 'prospect' });
  const at = scope.clock.now();

  // Claim the callback first: a second delivery (under any command id) changes nothing.
  const claimed = await repo.insertCallback(scope.trx, {
    callbackId: cb.correlationId,
    callbackAt: cb.createdAtMs,
    type: cb.type,
    applicantId: cb.applicantId,
    prospectId: p.id,
    effect: 'logged',
    payload: cb,
    at,
  });
  if (!claimed) {
    const prior = await repo.findCallback(scope.trx, cb.correlationId, cb.createdAtMs);
    describeTarget(scope, 'prospect', p.id, { callback: cb.type, duplicate: true });
    return { applied: false, effect: (prior?.effect ?? 'logged') as KycCallbackOutcome['effect'] };
  }

  let effect: KycCallbackOutcome['effect'] = 'logged';
  const open = isOpenStage(p.stage);
  if (cb.type === 'applicantCreated') {
    effect = 'applicantStored';
    await repo.updateProspect(
      scope.trx,
      p.id,
      p.stage === 'new'
        ? { kyc_applicant_id: cb.applicantId, stage: 'kyc_started', kyc_status: 'pending' }
        : { kyc_applicant_id: cb.applicantId },
      at,
    );
  } else if (cb.type === 'applicantPending' && p.stage === 'kyc_started') {
    effect = 'pending';
    await repo.updateProspect(scope.trx, p.id, { stage: 'kyc_pending' }, at);
  } else if (cb.type === 'applicantReviewed' && cb.reviewResult && p.stage !== 'closed') {
    const green = cb.reviewResult.reviewAnswer === 'GREEN';
    // Verified is permanent: a later red review of a verified applicant is only logged.
    if (p.kyc_status !== 'verified') {
      effect = green ? 'verified' : 'rejected';
      const reasons = green ? [] : (cb.reviewResult.rejectLabels ?? []);
      const comment =
        [cb.reviewResult.moderationComment, cb.reviewResult.clientComment].filter(Boolean).join('\n') || null;
      await repo.updateProspect(
        scope.trx,
        p.id,
        green
          ? {
              kyc_status: 'verified',
              kyc_level: 'basic',
              // Approved and waiting for conversion.
              ...(open && p.stage !== 'kyc_started' && p.stage !== 'kyc_pending'
                ? { stage: 'kyc_pending' as const }
                : {}),
            }
          : { kyc_status: 'rejected', ...(open ? { stage: 'kyc_declined' as const } : {}) },
        at,
      );
      await repo.insertReview(scope.trx, {
        id: randomUUID(),
        prospectId: p.id,
        source: 'provider',
        outcome: green ? 'approved' : 'declined',
        reasons: green ? [] : reasons.length ? reasons : ['UNSPECIFIED'],
        comment,
        by: null,
        at,
      });
    }
  }

  await repo.setCallbackEffect(scope.trx, cb.correlationId, cb.createdAtMs, effect);
  describeTarget(scope, 'prospect', p.id, {
    callback: cb.type,
    applicantId: cb.applicantId,
    effect,
    ...(cb.reviewResult ? { reviewAnswer: cb.reviewResult.reviewAnswer } : {}),
  });
  return { applied: true, effect };
}
