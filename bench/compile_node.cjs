// Compile throughput of V8 on .wasm files: times `new WebAssembly.Module(bytes)` (synchronous
// compilation of every function; run with Liftoff-only flags, eager compilation) and prints the
// median of R runs in MB of code section per second, over wall time and over the process's CPU
// time (all threads: with --single-threaded that is the compiling thread plus V8's housekeeping).
// Usage: node --liftoff --no-wasm-tier-up --no-wasm-dynamic-tiering --no-wasm-lazy-compilation \
//          compile_node.cjs RUNS file.wasm...
'use strict';
const fs = require('fs');

// Size of the code section (id 10) in bytes, payload only.
function codeSectionSize(bytes) {
  let p = 8;
  const leb = () => {
    let result = 0, shift = 0, b;
    do {
      b = bytes[p++];
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return result;
  };
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = leb();
    if (id === 10) return size;
    p += size;
  }
  return 0;
}

const runs = Number(process.argv[2]);
for (const file of process.argv.slice(3)) {
  const bytes = fs.readFileSync(file);
  const code = codeSectionSize(bytes);
  const times = [];
  const cpus = [];
  for (let i = 0; i < runs; i++) {
    // V8 caches compiled modules by their bytes: append a custom section that differs per run
    // so that every run compiles.
    const tag = Buffer.from([0, 11, 10, ...Buffer.from(`wtrun-run${i % 10}`, 'latin1')]);
    const unique = Buffer.concat([bytes, tag]);
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    new WebAssembly.Module(unique);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const c = process.cpuUsage(c0);  // all threads of the process, microseconds
    cpus.push((c.user + c.system) / 1e3);
  }
  cpus.sort((a, b) => a - b);
  const cpuMs = cpus[Math.floor(cpus.length / 2)];
  times.sort((a, b) => a - b);
  const ms = times[Math.floor(times.length / 2)];
  console.log(`${file}\tcode ${(code / 1e6).toFixed(3)} MB\tcompile ${ms.toFixed(2)} ms\t` +
              `${(code / 1e6 / (ms / 1e3)).toFixed(1)} MB/s\tcpu ${cpuMs.toFixed(2)} ms\t` +
              `${(code / 1e6 / (cpuMs / 1e3)).toFixed(1)} cpu_MB/s`);
}
