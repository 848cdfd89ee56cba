// Runs @yowasp/clang (clang/clang++ built for WASI, run by node) on files of the current
// directory: `node yclang.mjs <clang|clang++> ARGS...`. Every ARG naming an existing file is put
// into the compiler's virtual file system under the same relative path; every file the compiler
// writes or changes is copied back. Env YOWASP_CLANG_DIR: where node_modules/@yowasp/clang is.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = process.env.YOWASP_CLANG_DIR || '/work/tools';
const mod = await import(pathToFileURL(path.join(dir, 'node_modules/@yowasp/clang/gen/bundle.js')).href);
const [tool, ...args] = process.argv.slice(2);
const files = {};
const inputs = new Map();
for (const a of args) {
  if (a.startsWith('-') || !fs.existsSync(a) || !fs.statSync(a).isFile()) continue;
  let node = files;
  const parts = path.normalize(a).split('/');
  for (const p of parts.slice(0, -1)) node = node[p] ??= {};
  node[parts.at(-1)] = fs.readFileSync(a);
  inputs.set(path.normalize(a), node[parts.at(-1)]);
}
function writeBack(tree, prefix) {
  for (const [name, v] of Object.entries(tree)) {
    const p = prefix ? path.join(prefix, name) : name;
    if (v instanceof Uint8Array || typeof v === 'string') {
      const old = inputs.get(p);  // an input the compiler left as it was is not rewritten
      if (old === undefined || !Buffer.from(v).equals(old)) fs.writeFileSync(p, v);
    } else {
      fs.mkdirSync(p, { recursive: true });
      writeBack(v, p);
    }
  }
}
await mod.runLLVM(null, {}, { fetchProgress: () => {} }); // load the toolchain quietly
try {
  const out = await mod.commands[tool](args, files);
  if (out) writeBack(out, '');
} catch (e) {
  if (e instanceof mod.Exit) {
    if (e.files) writeBack(e.files, '');
    process.exit(e.code || 1);
  }
  throw e;
}
