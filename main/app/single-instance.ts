import type { App, BrowserWindow } from './electron';

/**
 * One instance per user profile: two would each open the embedded database (PGlite allows one
 * process per data folder) and each hold its own session. A second start brings the first
 * window forward and leaves.
 */
export function claimSingleInstance(app: App, onSecondInstance: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', onSecondInstance);
  return true;
}

export function bringToFront(window: BrowserWindow | null): void {
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
