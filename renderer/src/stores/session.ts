import { create } from 'zustand';
import type { SessionDto, SystemInfo } from '@shared/contract';
import { call } from '../api';

export type LinkState = 'connecting' | 'open' | 'closed';
export type ConnectionState = 'online' | 'degraded' | 'offline';

interface SessionState {
  info: SystemInfo | null;
  session: SessionDto | null;
  /** The renderer's link to the main process (always open under Electron). */
  link: LinkState;
  /** The main process's link to the bank database. */
  database: { state: ConnectionState; since: string } | null;
  loaded: boolean;
  refresh(): Promise<void>;
  setSession(s: SessionDto | null): void;
  setLink(l: LinkState): void;
  setDatabase(d: { state: ConnectionState; since: string }): void;
  markLocked(): void;
}

export const useSession = create<SessionState>((set) => ({
  info: null,
  session: null,
  link: 'connecting',
  database: null,
  loaded: false,
  async refresh() {
    const [info, session, database] = await Promise.all([
      call('system.info', {}),
      call('session.current', {}),
      call('system.connectivity', {}),
    ]);
    set({ info, session, database, loaded: true });
  },
  setSession: (session) => set({ session }),
  setLink: (link) => set({ link }),
  setDatabase: (database) => set({ database }),
  markLocked: () => set((s) => (s.session ? { session: { ...s.session, locked: true } } : s)),
}));

/** What the status bar shows: the worse of the renderer's link and the database's. */
export function connectionState(link: LinkState, database: SessionState['database']): ConnectionState {
  if (link !== 'open') return 'offline';
  return database?.state ?? 'online';
}

export function can(session: SessionDto | null, permission: string | undefined): boolean {
  if (!permission) return session !== null;
  return session?.permissions.includes(permission as never) ?? false;
}
