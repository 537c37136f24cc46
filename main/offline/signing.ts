import { createPublicKey, sign, verify } from 'node:crypto';
import { canonicalJson } from '../ipc/command';
import type { WorkstationKey } from './local-store';

/** What a queued command's signature covers: everything that says who decided what, where and when. */
export interface SignedFields {
  commandId: string;
  procedure: string;
  input: Record<string, unknown>;
  userId: string;
  workstation: string;
  localTime: string;
}

function message(f: SignedFields): Buffer {
  return Buffer.from(
    canonicalJson({
      commandId: f.commandId,
      procedure: f.procedure,
      input: f.input,
      userId: f.userId,
      workstation: f.workstation,
      localTime: f.localTime,
    }),
  );
}

/**
 * Signs a queued command with the workstation's ed25519 key: the bank's audit record of a replayed
 * vote then carries evidence made at the moment of the decision, not at the moment of the replay.
 */
export function signQueued(key: WorkstationKey, f: SignedFields): string {
  return sign(null, message(f), key.privateKey).toString('base64');
}

export function verifyQueued(publicKeyPem: string, f: SignedFields, signature: string): boolean {
  return verify(null, message(f), createPublicKey(publicKeyPem), Buffer.from(signature, 'base64'));
}
