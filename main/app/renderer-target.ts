import { CSP, devCsp } from './csp';

/**
 * The built renderer is served from a privileged custom scheme rather than file://: the packaged
 * app turns off the grantFileProtocolExtraPrivileges fuse, after which file:// pages cannot load
 * ES module scripts, and a custom scheme also gives the renderer a real origin that cannot read
 * arbitrary files from the disk.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'bank';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

export interface RendererTarget {
  /** What the window loads. */
  entryUrl: string;
  /** The only pages allowed in the window and allowed to call the bank over IPC. */
  isAppUrl(url: string): boolean;
  csp: string;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * The dev server URL (electron-vite dev sets ELECTRON_RENDERER_URL) is honoured only in an
 * unpackaged app and only on loopback: otherwise an environment variable could point a bank
 * workstation at somebody else's page with the bank's IPC attached.
 */
function devServer(isPackaged: boolean, devServerUrl: string | undefined): URL | null {
  if (isPackaged || !devServerUrl) return null;
  const url = parse(devServerUrl);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return null;
  return LOOPBACK.has(url.hostname) ? url : null;
}

export function resolveRendererTarget(opts: { isPackaged: boolean; devServerUrl?: string }): RendererTarget {
  const dev = devServer(opts.isPackaged, opts.devServerUrl);
  if (dev) {
    return {
      entryUrl: dev.href,
      isAppUrl: (url) => parse(url)?.origin === dev.origin,
      csp: devCsp(dev.origin),
    };
  }
  return {
    entryUrl: APP_ENTRY_URL,
    isAppUrl: (url) => {
      const u = parse(url);
      // A custom scheme's URL.origin is 'null' in Node, so compare its parts.
      return !!u && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password;
    },
    csp: CSP,
  };
}
