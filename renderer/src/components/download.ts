/**
 * Saves a blob the way a browser saves a download (Electron asks where, with a save dialog): a
 * temporary object URL on a temporary <a download> link. The URL lives a minute, long enough for a
 * save dialog to read it.
 */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A name the bank made (an export, a receipt) with anything but letters, digits, '.' and '-' as '_'. */
const plainName = (fileName: string) => fileName.replace(/[^\w.-]+/g, '_');

/** A CSV export the bank answered with as text. */
export function downloadCsv(fileName: string, text: string): void {
  saveBlob(new Blob([text], { type: 'text/csv;charset=utf-8' }), plainName(fileName));
}

/** A PDF the bank answered with as base64. */
export function downloadPdf(fileName: string, base64: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  saveBlob(new Blob([bytes], { type: 'application/pdf' }), plainName(fileName));
}
