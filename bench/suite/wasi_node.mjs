// Start-up runner for bench/suite/bigstart.py: runs a WASI preview1 command module under node
// as `wtrun --argv0 ARGV0 FILE ARGS...` does (WebAssembly.compile + instantiate + wasi.start;
// V8's tiering as node's flags choose: lazy Liftoff by default). Usage:
//   node [v8 flags] wasi_node.mjs FILE.wasm ARGV0 [ARGS...]
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';

const [file, argv0, ...args] = process.argv.slice(2);
const wasi = new WASI({ version: 'preview1', args: [argv0, ...args], env: {}, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
