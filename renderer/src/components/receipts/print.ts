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

/** A browser download of a PDF held as base64. */
export function downloadPdf(fileName: string, base64: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName.replace(/[^\w.-]+/g, '_');
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
