import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow, fake, resetFakeElectron } from './fake-electron';
import { electron, type BrowserWindow } from '../../../main/app/electron';
import { bringToFront, claimSingleInstance } from '../../../main/app/single-instance';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

beforeEach(() => resetFakeElectron());

describe('single instance', () => {
  it('quits when another instance holds the lock', () => {
    fake.app.lockGranted = false;
    const onSecond = vi.fn();
    expect(claimSingleInstance(electron.app, onSecond)).toBe(false);
    expect(fake.app.quit).toHaveBeenCalledOnce();
    expect(fake.app.listenerCount('second-instance')).toBe(0);
  });

  it('brings the window back when a second instance starts', () => {
    const win = new FakeBrowserWindow({});
    win.minimized = true;
    expect(claimSingleInstance(electron.app, () => bringToFront(win as unknown as BrowserWindow))).toBe(true);
    expect(fake.app.quit).not.toHaveBeenCalled();

    fake.app.emit('second-instance', {}, ['electron', '.'], '/home');
    expect(win).toMatchObject({ minimized: false, visible: true, focused: true });
  });

  it('ignores a second instance while there is no window', () => {
    expect(() => bringToFront(null)).not.toThrow();
    const gone = new FakeBrowserWindow({});
    gone.destroyed = true;
    bringToFront(gone as unknown as BrowserWindow);
    expect(gone.focused).toBe(false);
  });
});
