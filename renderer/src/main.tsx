import { StrictMode } from 'react';
import i18next from 'i18next';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { setBridge } from './api';
import { WebSocketBridge, type Bridge } from './bridge';
import { initI18n } from './i18n';
import { useSession } from './stores/session';
import { useToasts } from './stores/toasts';
import type { EventMap } from '@shared/contract';
import './styles.css';

async function start() {
  await initI18n();
  const store = useSession.getState();
  // Under Electron the preload gives the bridge; in a browser (npm run host) we open our own.
  const bridge: Bridge = window.bank ?? WebSocketBridge.fromLocation((s) => useSession.getState().setLink(s));
  if (window.bank) store.setLink('open');
  setBridge(bridge);
  bridge.subscribe((event, payload) => {
    const s = useSession.getState();
    switch (event) {
      case 'session.locked':
        s.markLocked();
        break;
      case 'session.ended':
        s.setSession(null);
        // Say why the user is back at sign-in when it was not their own doing.
        if ((payload as EventMap['session.ended']).reason === 'disabled') {
          useToasts.getState().push('error', i18next.t('errors.USER_DISABLED'));
        }
        break;
      case 'connectivity.changed':
        s.setDatabase(payload as EventMap['connectivity.changed']);
        break;
      case 'bridge.reconnected':
        void s.refresh();
        break;
    }
  });
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  // The first answer may be slow to come (the link is still opening, the bank is briefly away):
  // keep asking, instead of staying on 'Loading…' for good after one failed attempt.
  for (let wait = 250; ; wait = Math.min(wait * 2, 5_000)) {
    try {
      await store.refresh();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

void start();
