import type { StaffIdentity } from './service';

/** How long a copy may be used without word from the bank: the bound when a notification is lost unseen. */
export const IDENTITY_TTL_MS = 10_000;

/**
 * Copies of signed-in users' identities, so the router's check on every call need not be a round
 * trip to the bank. A copy is trusted only while this workstation listens to the bank's events: a
 * change to a user or their roles announces itself at commit (a trigger, migration 0014) and drops
 * the copy; losing the listener drops them all and stops caching until it is back. A read that an
 * announcement overtook is not kept (the generation check), and no copy outlives IDENTITY_TTL_MS,
 * in case the listener's connection died without a word.
 */
export function identityCache(now: () => number = Date.now, ttlMs = IDENTITY_TTL_MS) {
  const entries = new Map<string, { identity: StaffIdentity; until: number }>();
  let listening = false;
  let generation = 0;

  const dropAll = () => {
    generation++;
    entries.clear();
  };

  return {
    get(userId: string): StaffIdentity | undefined {
      const entry = entries.get(userId);
      if (!entry) return undefined;
      if (!listening || entry.until <= now()) {
        entries.delete(userId);
        return undefined;
      }
      return entry.identity;
    },

    /** Where the read starts: pass it back to keep(), which refuses a read an event overtook. */
    generation: () => generation,

    keep(identity: StaffIdentity, readAtGeneration: number): void {
      if (!listening || readAtGeneration !== generation) return;
      const frozen = Object.freeze({ ...identity, roles: Object.freeze([...identity.roles]) });
      entries.set(identity.userId, { identity: frozen as StaffIdentity, until: now() + ttlMs });
    },

    /** A user or their roles changed somewhere: the next call re-reads them. */
    changed(userId: string): void {
      generation++;
      entries.delete(userId);
    },

    /** The bank's events are (or are no longer) reaching this workstation. */
    listening(on: boolean): void {
      listening = on;
      dropAll();
    },
  };
}

export type IdentityCache = ReturnType<typeof identityCache>;

/** A staff change announced on the bank's event channel: the user it names, or null for other events. */
export function staffChangedUser(payload: string): string | null {
  try {
    const parsed = JSON.parse(payload) as { event?: unknown; userId?: unknown };
    return parsed.event === 'staff.changed' && typeof parsed.userId === 'string' ? parsed.userId : null;
  } catch {
    return null;
  }
}
