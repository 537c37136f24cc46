import { withCsp } from './csp';
import type { Session } from './electron';

/**
 * Locks down a session: a teller client needs no camera, microphone, notifications, geolocation,
 * clipboard reads or anything else a page may ask for, so every request and check is refused;
 * and every response carries our CSP, whatever (if anything) it came with.
 */
export function secureSession(session: Session, csp: string): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCsp(details.responseHeaders, csp) });
  });
}
