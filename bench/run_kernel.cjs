// Instantiates a freestanding kernel .wasm and prints run(N), like `wtrun --invoke run FILE N`.
// Usage: node [v8 flags] run_kernel.cjs kernel.wasm N
'use strict';
const fs = require('fs');
const [file, n] = process.argv.slice(2);
const wasmModule = new WebAssembly.Module(fs.readFileSync(file));
const instance = new WebAssembly.Instance(wasmModule, {});
console.log(instance.exports.run(Number(n)));
