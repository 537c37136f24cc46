/* global process */
// Loaded into the bench's host process with `node --expose-gc --import <this file>`. Each line on
// stdin asks for process.memoryUsage(), written to stderr as one `BENCH_MEM {...}` line; the line
// `gc` runs a full garbage collection first. Nothing happens unless asked.
let pending = '';
process.stdin.setEncoding('utf8').on('data', (chunk) => {
  pending += chunk;
  let nl;
  while ((nl = pending.indexOf('\n')) >= 0) {
    const command = pending.slice(0, nl).trim();
    pending = pending.slice(nl + 1);
    if (command === 'gc') globalThis.gc?.();
    process.stderr.write(`BENCH_MEM ${JSON.stringify(process.memoryUsage())}\n`);
  }
});
process.stdin.unref();
