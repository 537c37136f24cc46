import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventMap } from '../../../shared/contract';
import type { RouterResult } from '../../../main/ipc/router';
import { electron, type BrowserWindow } from '../../../main/app/electron';
import { registerIpc } from '../../../main/app/ipc';
import { resolveRendererTarget } from '../../../main/app/renderer-target';
import { FakeBrowserWindow, invokeFrom, resetFakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

type Approvals = EventMap['approvals.changed'];

describe('approvals changes reach the desktop window', () => {
  let win: FakeBrowserWindow;
  let listeners: Set<(e: Approvals) => void>;

  beforeEach(() => {
    resetFakeElectron();
    win = new FakeBrowserWindow({});
    listeners = new Set();
    registerIpc({
      ipcMain: electron.ipcMain,
      router: Promise.resolve({ handle: async (): Promise<RouterResult> => ({ ok: true, result: null }) }),
      window: () => win as unknown as BrowserWindow,
      isAppUrl: resolveRendererTarget({ isPackaged: true }).isAppUrl,
      workstation: 'BRANCH-07',
      onApprovalsChanged: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    });
  });

  it('pushes approvals.changed to the connected renderer, and stops when it is gone', async () => {
    await invokeFrom('bank:invoke', win.webContents, win.webContents.mainFrame, 'system.info', {});
    expect(listeners.size).toBe(1);
    const event: Approvals = { processId: 'p-1', type: 'withdraw', status: 'approved' };
    for (const l of listeners) l(event);
    expect(win.webContents.sent).toEqual([['bank:event', 'approvals.changed', event]]);
    win.webContents.destroy();
    expect(listeners.size).toBe(0);
  });
});
