import { useEffect } from 'react';
import { getBridge } from '../../api';
import { useSession } from '../../stores/session';

/**
 * Calls onChange when another workstation changes an override request or flags cash (the bank's
 * NOTIFY, carried as an approvals change of type 'cash-override' or 'cash-report'), and every
 * pollMs as a fallback for a lost live connection.
 */
export function useCashLive(type: 'cash-override' | 'cash-report', onChange: () => void, pollMs = 0): void {
  useEffect(() => {
    const stop = getBridge().subscribe((event, payload) => {
      // Behind the lock screen the bank refuses reads: the next change after unlocking refreshes.
      if (event !== 'approvals.changed' || useSession.getState().session?.locked) return;
      if ((payload as { type?: string } | null)?.type === type) onChange();
    });
    const timer = pollMs > 0 ? setInterval(onChange, pollMs) : undefined;
    return () => {
      stop();
      if (timer) clearInterval(timer);
    };
  }, [type, onChange, pollMs]);
}
