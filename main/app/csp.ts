/**
 * The renderer's Content Security Policy. Everything the app shows comes from its own origin; no
 * remote script, no plugins, no framing, no <base> tricks, no form posts. Inline styles stay
 * allowed because React's style props need them.
 */
const DIRECTIVES: readonly string[] = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  // A customer document (PDF) is previewed in a frame from a blob the renderer made of its bytes.
  'frame-src blob:',
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

export const CSP = DIRECTIVES.join('; ');

/**
 * Development only (the Vite dev server): its React refresh preamble is an inline script and its
 * hot reload talks over a WebSocket, so those two are allowed for the dev server's origin.
 */
export function devCsp(devOrigin: string): string {
  const ws = devOrigin.replace(/^http/, 'ws');
  return DIRECTIVES.map((d) => {
    if (d.startsWith('script-src ')) return `${d} 'unsafe-inline'`;
    if (d.startsWith('connect-src ')) return `${d} ${ws}`;
    return d;
  }).join('; ');
}

/** Returns the response headers with any CSP the response carried replaced by ours. */
export function withCsp(
  headers: Record<string, string | string[]> | undefined,
  csp: string,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') out[name] = value;
  }
  out['Content-Security-Policy'] = [csp];
  return out;
}
