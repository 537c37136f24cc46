import { describe, expect, it } from 'vitest';
import { identityCache, staffChangedUser } from '../../main/modules/access/identity-cache';
import type { StaffIdentity } from '../../main/modules/access';

const dave: StaffIdentity = {
  userId: 'u-1',
  username: 'dave',
  fullName: 'Dave',
  roles: ['teller'],
  status: 'active',
  mustChangePassword: false,
};

function cacheAt(start = 1_000) {
  let now = start;
  const cache = identityCache(() => now, 10_000);
  return { cache, advance: (ms: number) => (now += ms) };
}

describe('identity copies on a workstation', () => {
  it("keeps nothing until the bank's events are heard", () => {
    const { cache } = cacheAt();
    cache.keep(dave, cache.generation());
    expect(cache.get('u-1')).toBeUndefined();
    cache.listening(true);
    cache.keep(dave, cache.generation());
    expect(cache.get('u-1')).toEqual(dave);
  });

  it("a copy is dropped by its user's change, and only by theirs", () => {
    const { cache } = cacheAt();
    cache.listening(true);
    cache.keep(dave, cache.generation());
    cache.keep({ ...dave, userId: 'u-2', username: 'eve' }, cache.generation());
    cache.changed('u-2');
    expect(cache.get('u-1')).toEqual(dave);
    expect(cache.get('u-2')).toBeUndefined();
  });

  it('a read an announcement overtook is not kept', () => {
    const { cache } = cacheAt();
    cache.listening(true);
    const readStarted = cache.generation();
    cache.changed('u-1'); // arrives while the read is on its way
    cache.keep(dave, readStarted);
    expect(cache.get('u-1')).toBeUndefined();
  });

  it('losing the events drops every copy and keeps none until they are back', () => {
    const { cache } = cacheAt();
    cache.listening(true);
    cache.keep(dave, cache.generation());
    cache.listening(false);
    expect(cache.get('u-1')).toBeUndefined();
    cache.keep(dave, cache.generation());
    expect(cache.get('u-1')).toBeUndefined();
  });

  it('no copy outlives its time, whatever the events say', () => {
    const { cache, advance } = cacheAt();
    cache.listening(true);
    cache.keep(dave, cache.generation());
    advance(9_999);
    expect(cache.get('u-1')).toEqual(dave);
    advance(1);
    expect(cache.get('u-1')).toBeUndefined();
  });

  it('a copy cannot be changed through what it hands out', () => {
    const { cache } = cacheAt();
    cache.listening(true);
    cache.keep(dave, cache.generation());
    expect(() => (cache.get('u-1')!.roles as string[]).push('admin')).toThrow();
  });

  it('reads the staff announcement and ignores every other event', () => {
    expect(staffChangedUser('{"event":"staff.changed","userId":"u-9"}')).toBe('u-9');
    expect(staffChangedUser('{"event":"approvals.changed","processId":"p"}')).toBeNull();
    expect(staffChangedUser('not json')).toBeNull();
    expect(staffChangedUser('{"event":"staff.changed","userId":7}')).toBeNull();
  });
});
