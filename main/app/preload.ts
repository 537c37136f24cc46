// Runs sandboxed, before the renderer, with access to ipcRenderer. It hands the page exactly two
// functions and nothing of Electron itself: the page never sees ipcRenderer, an IPC event (whose
// sender would let it reach other channels) or any other channel than the bank's two.
import type { Bridge, BridgeListener, BridgeResult } from '../../shared/bridge';
import { EVENT_CHANNEL, INVOKE_CHANNEL, PRINT_CHANNEL } from './channels';
import { preloadElectron } from './electron';

function createBridge(): Bridge {
  const { ipcRenderer } = preloadElectron;
  return {
    invoke(name: string, input: unknown): Promise<BridgeResult> {
      return ipcRenderer.invoke(INVOKE_CHANNEL, name, input) as Promise<BridgeResult>;
    },
    subscribe(listener: BridgeListener): () => void {
      const forward = (_event: unknown, name: unknown, payload: unknown) => {
        if (typeof name === 'string') listener(name, payload);
      };
      ipcRenderer.on(EVENT_CHANNEL, forward);
      return () => {
        ipcRenderer.removeListener(EVENT_CHANNEL, forward);
      };
    },
    async print(): Promise<void> {
      await ipcRenderer.invoke(PRINT_CHANNEL);
    },
  };
}

preloadElectron.contextBridge.exposeInMainWorld('bank', createBridge());
