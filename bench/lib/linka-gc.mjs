// `node --expose-gc bench/lib/linka-gc.mjs serve`: bin/linka.js, plus an IPC command for benches:
// 'gc' collects garbage (twice: weak references, then what they held) and answers with
// process.memoryUsage(), so memory is measured without the garbage V8 has not collected yet.
process.on('message', (msg) => {
  if (msg?.cmd !== 'gc') return;
  globalThis.gc?.();
  globalThis.gc?.();
  process.send?.({ id: msg.id, memory: process.memoryUsage() });
});
await import('../../bin/linka.js');
