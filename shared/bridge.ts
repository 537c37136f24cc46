import type { ErrorPayload } from './errors';

/** What every call to the bank answers: a result, or a typed error to show in the user's language. */
export type BridgeResult = { ok: true; result: unknown } | { ok: false; error: ErrorPayload };

export type BridgeListener = (event: string, payload: unknown) => void;

/**
 * The renderer's only door to the bank. In the desktop app the preload provides it as
 * `window.bank` over Electron IPC; in host mode the renderer builds the same interface over a
 * WebSocket. So it names no transport and carries only plain, structured-cloneable data.
 */
export interface Bridge {
  /** Calls a procedure of the contract. Never rejects for a bank-side failure: that is `ok: false`. */
  invoke(name: string, input: unknown): Promise<BridgeResult>;
  /** Events pushed by the main process (see EventMap). Returns the function that unsubscribes. */
  subscribe(listener: BridgeListener): () => void;
  /** Desktop app only: prints the window through the system dialog (host mode uses window.print). */
  print?(): Promise<void>;
}

declare global {
  interface Window {
    /** Present in the desktop app only. */
    bank?: Bridge;
  }
}
