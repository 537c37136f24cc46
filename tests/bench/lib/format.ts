/** Human-readable numbers and plain-text tables for the bench report. */

export function ms(v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (v < 1) return `${v.toFixed(3)} ms`;
  if (v < 100) return `${v.toFixed(2)} ms`;
  if (v < 10_000) return `${Math.round(v)} ms`;
  return `${(v / 1000).toFixed(1)} s`;
}

export function seconds(vMs: number): string {
  return Number.isFinite(vMs) ? `${(vMs / 1000).toFixed(2)} s` : '–';
}

export function int(v: number): string {
  return Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–';
}

export function mib(bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : '–';
}

export function pct(v: number): string {
  return Number.isFinite(v) ? `${Math.round(v * 100)}%` : '–';
}

export type Align = 'left' | 'right';
export interface Column {
  header: string;
  align?: Align;
}

/** A boxed-less table: a header, a rule, the rows; numbers right-aligned. */
export function table(columns: (Column | string)[], rows: string[][]): string {
  const cols = columns.map((c) => (typeof c === 'string' ? { header: c } : c));
  const widths = cols.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => {
        const align = cols[i]?.align ?? (i === 0 ? 'left' : 'right');
        return align === 'left' ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!);
      })
      .join('  ')
      .trimEnd();
  return [
    line(cols.map((c) => c.header)),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...rows.map((r) => line(cols.map((_, i) => r[i] ?? ''))),
  ].join('\n');
}
