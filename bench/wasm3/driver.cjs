// Runs one export of a .wasm under node and prints its result, like
// `wtrun --invoke FN FILE N`. Usage: node [v8 flags] driver.cjs FILE FN N
// (N is passed as a BigInt when the export takes an i64). Used by bench/wasm3/run.sh.
'use strict';
const fs = require('fs');
const [file, fn, n] = process.argv.slice(2);
const wasmModule = new WebAssembly.Module(fs.readFileSync(file));
const instance = new WebAssembly.Instance(wasmModule, {});
const f = instance.exports[fn];
let r;
try {
  r = f(Number(n));
} catch (e) {
  if (!(e instanceof TypeError)) throw e;
  r = f(BigInt(n));
}
console.log(String(r));
