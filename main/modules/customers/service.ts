import { randomUUID } from 'node:crypto';
import { format } from 'date-fns';
import { inTransaction, isUniqueViolation, type Db, type Trx } from '../../db';
import { AppError } from '../../../shared/errors';
import type {
  CustomerDto,
  CustomerHitDto,
  ProspectDto,
  ProspectStage,
  ProspectSummaryDto,
} from '../../../shared/contract/customers';
import { describeTarget, type CommandScope, type RequestContext } from '../../ipc/context';
import { runCommand } from '../../ipc/command';
import type { AuditService } from '../audit';
import * as repo from './repo';
import {
  assertClosable,
  assertConvertible,
  assertNotFuture,
  formatPublicId,
  kycDecision,
  nextCustomerStatus,
  nextStage,
  normalizeEmail,
  normalizeTelegram,
  runClosingChecks,
  searchPlan,
} from './rules';
import { applyKycCallback, callbackCommandId, kycCallbackOutcome, parseKycCallback } from './kyc-provider';

export interface ProspectInput {
  customerType: ProspectDto['customerType'];
  email: string;
  telegramId?: string;
  fullName: string;
  bornOrRegisteredOn: string;
  phone: string;
  address: string;
  idDocumentType: string;
  idDocumentNumber: string;
}

type Q = Db | Trx;

function summary(p: repo.ProspectRow): ProspectSummaryDto {
  return {
    id: p.id,
    publicId: p.public_id,
    customerType: p.customer_type,
    email: p.email,
    fullName: p.full_name,
    stage: p.stage,
    kycStatus: p.kyc_status,
    createdAt: p.created_at.toISOString(),
  };
}

/** The identity of the remote KYC provider in the audit log. */
export const KYC_PROVIDER_ACTOR = {
  type: 'System' as const,
  userId: null,
  username: 'kyc-provider',
  roles: [],
};

/** What a conversion needs from the deposits module: the customer's USD account, in its transaction. */
export interface DepositOpener {
  /** Opens the account, or leaves it requested (null) while the bank requires verification first. */
  openRequestedAccount(scope: CommandScope, customerId: string): Promise<{ publicId: string } | null>;
}

export function createCustomerService(db: Db, audit: AuditService, deposits?: DepositOpener) {
  async function prospectDto(q: Q, id: string): Promise<ProspectDto> {
    const p = await repo.findProspect(q, id);
    if (!p) throw new AppError('NOT_FOUND', { entity: 'prospect' });
    const [customer, activeDocuments, reviews, history] = [
      await repo.findCustomer(q, id),
      await repo.activeDocuments(q, id),
      await repo.reviews(q, id),
      await repo.history(q, id),
    ];
    return {
      ...summary(p),
      telegramId: p.telegram_id,
      bornOrRegisteredOn: p.born_or_registered_on,
      phone: p.phone,
      address: p.address,
      idDocumentType: p.id_document_type,
      idDocumentNumber: p.id_document_number,
      kycLevel: p.kyc_level,
      kycApplicantId: p.kyc_applicant_id,
      closeReason: p.close_reason,
      customerPublicId: customer?.public_id ?? null,
      activeDocuments,
      reviews: reviews.map((r) => ({
        id: r.id,
        source: r.source,
        outcome: r.outcome,
        reasons: r.reasons,
        comment: r.comment,
        decidedBy: r.decided_by,
        decidedAt: r.decided_at.toISOString(),
      })),
      history: history.map((h) => ({
        id: h.id,
        occurredAt: h.occurred_at.toISOString(),
        action: h.action,
        outcome: h.outcome,
        actorUsername: h.actor_username,
        metadata: h.metadata,
      })),
    };
  }

  async function customerDto(q: Q, id: string): Promise<CustomerDto> {
    const c = await repo.findCustomer(q, id);
    if (!c) throw new AppError('NOT_FOUND', { entity: 'customer' });
    const base = await prospectDto(q, id);
    return {
      ...base,
      customerPublicId: c.public_id,
      status: c.status,
      statusReason: c.status_reason,
      convertedWith: c.converted_with,
      conversionReason: c.conversion_reason,
      convertedAt: c.created_at.toISOString(),
      depositAccountRequestedAt: c.deposit_account_requested_at?.toISOString() ?? null,
      closingChecks: await runClosingChecks(repo.closingProbe(q), id),
      preferredLanguage: c.preferred_language,
    };
  }

  async function lockProspect(scope: CommandScope, id: string): Promise<repo.ProspectRow> {
    const p = await repo.findProspect(scope.trx, id, true);
    if (!p) throw new AppError('NOT_FOUND', { entity: 'prospect' });
    return p;
  }

  async function lockCustomer(scope: CommandScope, id: string): Promise<repo.CustomerRow> {
    const c = await repo.findCustomer(scope.trx, id, true);
    if (!c) throw new AppError('NOT_FOUND', { entity: 'customer' });
    return c;
  }

  async function moveProspect(
    scope: CommandScope,
    id: string,
    action: 'startKyc' | 'submitKyc',
  ): Promise<ProspectDto> {
    const p = await lockProspect(scope, id);
    const stage = nextStage(p.stage, action);
    await repo.updateProspect(
      scope.trx,
      id,
      // Starting (or restarting) verification puts it back to Pending Verification.
      action === 'startKyc' ? { stage, kyc_status: 'pending' } : { stage },
      scope.clock.now(),
    );
    describeTarget(scope, 'prospect', id, { from: p.stage, to: stage });
    return prospectDto(scope.trx, id);
  }

  async function convert(
    scope: CommandScope,
    id: string,
    withoutKyc: { reason: string } | null,
  ): Promise<CustomerDto> {
    const p = await lockProspect(scope, id);
    assertConvertible(p.stage, p.kyc_status, withoutKyc !== null);
    const at = scope.clock.now();
    const publicId = formatPublicId('C', await repo.nextCustomerNumber(scope.trx));
    await repo.insertCustomer(scope.trx, {
      id,
      publicId,
      convertedWith: withoutKyc ? 'manual' : 'kyc',
      reason: withoutKyc?.reason ?? null,
      by: scope.actor.userId,
      at,
    });
    await repo.updateProspect(scope.trx, id, { stage: 'converted' }, at);
    // The deposit account requested at conversion is opened in the same transaction (DOMAIN 4.1);
    // the target described below is the customer's, with the account it got.
    const account = deposits ? await deposits.openRequestedAccount(scope, id) : null;
    describeTarget(scope, 'customer', id, {
      publicId,
      from: p.stage,
      kycStatus: p.kyc_status,
      ...(withoutKyc ? { withoutKyc: true, reason: withoutKyc.reason } : {}),
      depositAccountRequested: true,
      ...(account ? { depositAccountOpened: account.publicId } : {}),
    });
    return customerDto(scope.trx, id);
  }

  async function changeCustomer(
    scope: CommandScope,
    id: string,
    action: 'freeze' | 'unfreeze' | 'close',
    reason: string | null,
  ): Promise<CustomerDto> {
    const c = await lockCustomer(scope, id);
    const status = nextCustomerStatus(c.status, action);
    if (action === 'close') assertClosable(await runClosingChecks(repo.closingProbe(scope.trx), id));
    await repo.setCustomerStatus(scope.trx, id, status, reason, scope.clock.now());
    describeTarget(scope, 'customer', id, { from: c.status, to: status, ...(reason ? { reason } : {}) });
    return customerDto(scope.trx, id);
  }

  return {
    async listProspects(f: {
      stage?: ProspectStage;
      search?: string;
      limit: number;
    }): Promise<ProspectSummaryDto[]> {
      return (await repo.listProspects(db, f)).map(summary);
    },

    getProspect: (id: string) => prospectDto(db, id),
    getCustomer: (id: string) => customerDto(db, id),

    async createProspect(scope: CommandScope, input: ProspectInput): Promise<ProspectDto> {
      assertNotFuture(input.bornOrRegisteredOn, format(scope.clock.now(), 'yyyy-MM-dd'));
      const email = input.email.trim();
      const telegramId = normalizeTelegram(input.telegramId);
      if (await repo.emailTaken(scope.trx, normalizeEmail(email))) {
        throw new AppError('EMAIL_TAKEN', { email: normalizeEmail(email) });
      }
      if (telegramId && (await repo.telegramTaken(scope.trx, telegramId))) {
        throw new AppError('TELEGRAM_TAKEN', { telegramId });
      }
      const id = randomUUID();
      try {
        await repo.insertProspect(scope.trx, {
          id,
          customerType: input.customerType,
          email,
          telegramId,
          fullName: input.fullName,
          bornOrRegisteredOn: input.bornOrRegisteredOn,
          phone: input.phone,
          address: input.address,
          idDocumentType: input.idDocumentType,
          idDocumentNumber: input.idDocumentNumber,
          createdBy: scope.actor.userId,
          at: scope.clock.now(),
        });
      } catch (err) {
        // Two workstations registering the same person at once: the unique indexes decide.
        if (isUniqueViolation(err, 'prospects_email'))
          throw new AppError('EMAIL_TAKEN', { email: normalizeEmail(email) });
        if (isUniqueViolation(err, 'prospects_telegram'))
          throw new AppError('TELEGRAM_TAKEN', { telegramId });
        throw err;
      }
      describeTarget(scope, 'prospect', id, { customerType: input.customerType });
      return prospectDto(scope.trx, id);
    },

    startKyc: (scope: CommandScope, id: string) => moveProspect(scope, id, 'startKyc'),
    submitKyc: (scope: CommandScope, id: string) => moveProspect(scope, id, 'submitKyc'),

    /** The verifying officer's decision, after checking the documents attached to the prospect. */
    async recordKyc(
      scope: CommandScope,
      input: { id: string; outcome: 'approved' | 'declined'; reasons: string[]; comment?: string },
    ): Promise<ProspectDto> {
      const p = await lockProspect(scope, input.id);
      const decision = kycDecision({
        stage: p.stage,
        kycStatus: p.kyc_status,
        outcome: input.outcome,
        reasons: input.reasons,
        activeDocuments: await repo.activeDocuments(scope.trx, input.id),
      });
      const at = scope.clock.now();
      await repo.updateProspect(
        scope.trx,
        input.id,
        {
          stage: decision.stage,
          kyc_status: decision.kycStatus,
          ...(decision.kycStatus === 'verified' ? { kyc_level: 'basic' as const } : {}),
        },
        at,
      );
      await repo.insertReview(scope.trx, {
        id: randomUUID(),
        prospectId: input.id,
        source: 'desk',
        outcome: input.outcome,
        reasons: input.outcome === 'declined' ? [...new Set(input.reasons)] : [],
        comment: input.comment || null,
        by: scope.actor.userId,
        at,
      });
      describeTarget(scope, 'prospect', input.id, {
        outcome: input.outcome,
        ...(input.outcome === 'declined' ? { reasons: input.reasons } : {}),
      });
      return prospectDto(scope.trx, input.id);
    },

    convert: (scope: CommandScope, id: string) => convert(scope, id, null),
    convertWithoutKyc: (scope: CommandScope, id: string, reason: string) => convert(scope, id, { reason }),

    async closeProspect(scope: CommandScope, id: string, reason: string): Promise<ProspectDto> {
      const p = await lockProspect(scope, id);
      const stage = nextStage(p.stage, 'close');
      await repo.updateProspect(scope.trx, id, { stage, close_reason: reason }, scope.clock.now());
      describeTarget(scope, 'prospect', id, { from: p.stage, to: stage, reason });
      return prospectDto(scope.trx, id);
    },

    /** Typo-tolerant search over names, email prefixes, phones, public ids and document numbers. */
    async search(query: string, limit: number): Promise<CustomerHitDto[]> {
      const plan = searchPlan(query);
      // Names need a transaction (a setting for it alone); the other probes are a single statement.
      const rows = plan.nameTokens.length
        ? await inTransaction(db, (trx) => repo.searchCustomers(trx, plan, limit))
        : await repo.searchCustomers(db, plan, limit);
      return rows.map((r) => ({
        id: r.id,
        publicId: r.public_id,
        fullName: r.full_name,
        email: r.email,
        phone: r.phone,
        customerType: r.customer_type,
        status: r.status,
        kycStatus: r.kyc_status,
        matched: r.matched,
      }));
    },

    freeze: (scope: CommandScope, id: string, reason: string) => changeCustomer(scope, id, 'freeze', reason),
    unfreeze: (scope: CommandScope, id: string) => changeCustomer(scope, id, 'unfreeze', null),
    close: (scope: CommandScope, id: string, reason: string) => changeCustomer(scope, id, 'close', reason),

    /** The language the customer's receipts are printed in (issue 6); null: the bank's default. */
    async setLanguage(scope: CommandScope, id: string, language: 'en' | 'es' | null): Promise<CustomerDto> {
      const c = await lockCustomer(scope, id);
      await repo.setPreferredLanguage(scope.trx, id, language);
      describeTarget(scope, 'customer', id, { from: c.preferred_language, to: language });
      return customerDto(scope.trx, id);
    },

    /** Applies a provider callback inside a command already running (the demo loader). */
    applyKycCallback: (scope: CommandScope, payload: unknown) =>
      applyKycCallback(scope, parseKycCallback(payload)),

    /**
     * The remote KYC provider's webhook, as a service function (the transport that receives it is
     * not built): parsed, then applied once per (callback id, time) in one audited command.
     */
    async kycCallback(
      ctx: Omit<RequestContext, 'actor'>,
      payload: unknown,
    ): Promise<{ applied: boolean; effect: string }> {
      const cb = parseKycCallback(payload);
      return runCommand(
        db,
        audit,
        { ...ctx, actor: KYC_PROVIDER_ACTOR },
        {
          procedure: 'kyc.callback',
          commandId: callbackCommandId(cb),
          payload: { callbackId: cb.correlationId, callbackAt: cb.createdAtMs, type: cb.type },
          output: kycCallbackOutcome,
        },
        (scope) => applyKycCallback(scope, cb),
      );
    },
  };
}

export type CustomerService = ReturnType<typeof createCustomerService>;
