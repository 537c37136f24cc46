import type { Trx } from '../db';
import type { Clock } from '../clock';
import type { Role } from '../../shared/permissions';

/** Who is acting: a signed-in staff user, or the bank's own automated work. */
export interface Actor {
  type: 'User' | 'System';
  userId: string | null;
  username: string | null;
  roles: Role[];
}

export const SYSTEM_ACTOR: Actor = { type: 'System', userId: null, username: 'system', roles: [] };

/** What every service call knows about its caller. */
export interface RequestContext {
  actor: Actor;
  workstation: string;
  clock: Clock;
}

/** What the entity of a command is, for its audit record. Set by the service as it works. */
export interface AuditTarget {
  objectType: string | null;
  objectIds: string[];
  metadata: Record<string, unknown>;
}

/** A command in progress: its transaction, its id, and the audit target it fills in. */
export interface CommandScope extends RequestContext {
  trx: Trx;
  commandId: string;
  procedure: string;
  target: AuditTarget;
}

export function describeTarget(
  scope: CommandScope,
  objectType: string,
  ids: string | string[],
  metadata = {},
) {
  scope.target.objectType = objectType;
  scope.target.objectIds = Array.isArray(ids) ? ids : [ids];
  Object.assign(scope.target.metadata, metadata);
}
