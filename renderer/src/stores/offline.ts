import { create } from 'zustand';
import i18next from 'i18next';
import type { EventMap, OfflineStatusDto } from '@shared/contract';
import { call, getBridge } from '../api';
import { useSession } from './session';
import { useToasts } from './toasts';

interface OfflineState {
  /** The signed-in user's offline picture; null before the first answer or when signed out. */
  status: OfflineStatusDto | null;
  /** Bumped on every outbox change: screens that show queued items re-read. */
  outboxVersion: number;
  refresh(): Promise<void>;
}

export const useOffline = create<OfflineState>((set) => ({
  status: null,
  outboxVersion: 0,
  async refresh() {
    const session = useSession.getState().session;
    if (!session) {
      set({ status: null });
      return;
    }
    try {
      set({ status: await call('offline.status', {}) });
    } catch {
      // The link itself is down: the status bar already says so.
    }
  },
}));

/**
 * Keeps the offline picture current: on connectivity changes, on outbox changes, and once a
 * minute (the age shown in the status bar moves on by itself). A vote the bank refused on replay
 * is told to its supervisor at once: a toast here, and for good on the outbox screen.
 */
export function watchOffline(): () => void {
  const refresh = () => void useOffline.getState().refresh();
  const stopEvents = getBridge().subscribe((event, payload) => {
    if (event === 'connectivity.changed') refresh();
    if (event !== 'outbox.changed') return;
    const change = payload as EventMap['outbox.changed'];
    if (change.userId !== useSession.getState().session?.userId) return;
    useOffline.setState((s) => ({ outboxVersion: s.outboxVersion + 1 }));
    if (change.status === 'rejected' && change.rejection) {
      const reason = i18next.t(`errors.${change.rejection.code}`, change.rejection.params);
      useToasts.getState().push('error', i18next.t('offline.rejectedToast', { reason }));
    }
    refresh();
  });
  // One word when the whole queue has reached the bank, not one per decision.
  const stopStatus = useOffline.subscribe((now, prev) => {
    if (
      (prev.status?.pending ?? 0) > 0 &&
      now.status?.pending === 0 &&
      now.status.rejected === prev.status?.rejected
    ) {
      useToasts.getState().push('success', i18next.t('offline.replayedToast'));
    }
  });
  const stopSession = useSession.subscribe((s, prev) => {
    if (s.session?.userId !== prev.session?.userId) refresh();
  });
  const timer = setInterval(refresh, 60_000);
  refresh();
  return () => {
    stopEvents();
    stopStatus();
    stopSession();
    clearInterval(timer);
  };
}
