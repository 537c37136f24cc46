import { createRoot } from 'react-dom/client';
import type { ReactNode } from 'react';

/**
 * Prints one element on its own: it is mounted in a print-only layer (receipts.css hides the rest of
 * the page in print), printed, then removed. The desktop app prints through its bridge (the main
 * process opens the system dialog for this window); a browser in host mode prints itself.
 */
export async function printAlone(content: ReactNode): Promise<void> {
  const layer = document.createElement('div');
  layer.className = 'print-layer';
  document.body.appendChild(layer);
  document.body.classList.add('printing');
  const root = createRoot(layer);
  root.render(content);
  // Let React commit (and the QR image decode) before the page is laid out for paper.
  await new Promise((resolve) => setTimeout(resolve, 50));
  try {
    if (window.bank?.print) await window.bank.print();
    else window.print();
  } finally {
    root.unmount();
    layer.remove();
    document.body.classList.remove('printing');
  }
}
