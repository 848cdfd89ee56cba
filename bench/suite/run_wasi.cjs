// Runs a WASI command module under node (V8), like `wtrun FILE ARGS...`: the engine tier is
// chosen by the V8 flags on node's command line (bench/suite.sh passes Liftoff-only or
// TurboFan-only flags). Usage: node [v8 flags] run_wasi.cjs FILE.wasm [ARGS...]
'use strict';
const fs = require('fs');
const { WASI } = require('node:wasi');

const [file, ...args] = process.argv.slice(2);
const wasi = new WASI({ version: 'preview1', args: [file, ...args], env: {}, returnOnExit: true });
const wasmModule = new WebAssembly.Module(fs.readFileSync(file));
const instance = new WebAssembly.Instance(wasmModule, wasi.getImportObject());
process.exitCode = wasi.start(instance);
