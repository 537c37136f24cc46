import type { EventMap, EventName } from '../../shared/contract';
import type { Role } from '../../shared/permissions';

/** A signed-in staff user on one connection. Held in the main process only; never sent whole. */
export interface Session {
  userId: string;
  username: string;
  fullName: string;
  roles: Role[];
  locked: boolean;
  mustChangePassword: boolean;
  lastActivityAt: Date;
}

/** One renderer attached to the router: an Electron window, or a browser over the loopback bridge. */
export interface Connection {
  readonly id: string;
  readonly workstation: string;
  readonly transport: 'electron' | 'websocket' | 'internal';
  session: Session | null;
  emit<E extends EventName>(event: E, payload: EventMap[E]): void;
}
