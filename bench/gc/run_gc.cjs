// [wasmgc] #18: instantiates a GC benchmark .wasm (no imports) and prints FUNC(N) as
// `wtrun --invoke FUNC FILE.wat N` prints it (an i64 as its decimal digits). With no FILE
// (the start-up control) it only starts and prints 0.
// Usage: node [v8 flags] run_gc.cjs [FILE.wasm FUNC N]
'use strict';
const fs = require('fs');
const [file, func, n] = process.argv.slice(2);
if (file === undefined) {
  console.log('0');
} else {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(file)), {});
  console.log(String(instance.exports[func](Number(n))));
}
