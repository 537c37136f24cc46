import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fake, resetFakeElectron } from './fake-electron';
import { CSP, devCsp, withCsp } from '../../../main/app/csp';
import { secureSession } from '../../../main/app/session-security';
import { electron } from '../../../main/app/electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

beforeEach(() => {
  resetFakeElectron();
  secureSession(electron.session.defaultSession, CSP);
});

describe('session security', () => {
  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen'])(
    'denies the %s permission request',
    (permission) => {
      const callback = vi.fn();
      fake.session.permissionRequestHandler?.({}, permission, callback);
      expect(callback).toHaveBeenCalledExactlyOnceWith(false);
    },
  );

  it('answers every permission check with no', () => {
    expect(fake.session.permissionCheckHandler?.({}, 'clipboard-sanitized-write')).toBe(false);
    expect(fake.session.permissionCheckHandler?.(null, 'media')).toBe(false);
  });

  it('sets our CSP on every response, replacing one the response brought', () => {
    const callback = vi.fn();
    fake.session.headersListener?.(
      {
        url: 'http://localhost:5173/',
        responseHeaders: {
          'content-security-policy': ["default-src *; script-src 'unsafe-eval'"],
          'Content-Type': ['text/html'],
        },
      },
      callback,
    );
    expect(callback).toHaveBeenCalledExactlyOnceWith({
      responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [CSP] },
    });

    fake.session.headersListener?.({ url: 'app://bank/index.html' }, callback);
    expect(callback).toHaveBeenLastCalledWith({ responseHeaders: { 'Content-Security-Policy': [CSP] } });
  });
});

describe('content security policy', () => {
  it('allows only the app itself', () => {
    const directives = Object.fromEntries(
      CSP.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values.join(' ')];
      }),
    );
    expect(directives).toEqual({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self' 'unsafe-inline'",
      'img-src': "'self' data: blob:",
      'connect-src': "'self'",
      'object-src': "'none'",
      // Only blobs the renderer made itself (a customer document's PDF preview).
      'frame-src': 'blob:',
      'frame-ancestors': "'none'",
      'base-uri': "'none'",
      'form-action': "'none'",
    });
  });

  it('relaxes only what the dev server needs, for its origin only', () => {
    const dev = devCsp('http://localhost:5173');
    expect(dev).toContain("script-src 'self' 'unsafe-inline';");
    expect(dev).toContain("connect-src 'self' ws://localhost:5173;");
    expect(dev).toContain("object-src 'none'");
    expect(dev).not.toContain('unsafe-eval');
  });

  it('withCsp keeps other headers', () => {
    expect(withCsp({ 'X-A': 'b' }, 'x')).toEqual({ 'X-A': 'b', 'Content-Security-Policy': ['x'] });
  });
});
