// Generates random modules with the npm package binaryen's wasm-opt (an emscripten build) in
// one node process: its start-up (~0.3 s of CPU) is paid once per batch instead of once per
// module (docs/fuzzing-diff.md).
//
//   node gen.cjs WASM_OPT_JS DIR FIRST COUNT -- FLAGS... [-- POST...]
//
// For i in FIRST..FIRST+COUNT-1: writes DIR/ID.dat (random bytes, 1-32 KiB: the seed) and runs
// `wasm-opt DIR/ID.dat -ttf FLAGS [EXTRA] [POST] -o DIR/ID.wasm` (ID = i on 6 digits; POST:
// passes that must run last, such as --denan); prints ID per
// module generated (a failed generation leaves no .wasm). EXTRA, written to DIR/ID.extra, is
// empty for 90% of the modules, an optimisation level (-O1..-O4, -Os, -Oz) for 4% and
// --fuzz-passes (random binaryen passes) for 6%: optimised code has other shapes than
// binaryen's raw output (fewer locals, folded blocks, br_table, select).
// [wasm3] Feature sets: WTRUN_DIFF_SETS (set by run.sh) is a JSON list of
// {name, weight, flags: [...]}; each module draws one set by weight, its flags go after FLAGS
// (binaryen applies --enable/--disable in order, so they override FLAGS), DIR/ID.set gets its
// name and DIR/ID.extra starts with its flags.
'use strict';

const fs = require('fs');
const vm = require('vm');
const crypto = require('crypto');

const [wasmOptPath, dir, firstArg, countArg, sep, ...rest] = process.argv.slice(2);
if (!wasmOptPath || !dir || sep !== '--') {
  process.stderr.write('usage: node gen.cjs WASM_OPT_JS DIR FIRST COUNT -- FLAGS... [-- POST...]\n');
  process.exit(2);
}
const post = rest.includes('--') ? rest.slice(rest.indexOf('--') + 1) : [];
const flags = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
const first = Number(firstArg), count = Number(countArg);
const sets = process.env.WTRUN_DIFF_SETS ? JSON.parse(process.env.WTRUN_DIFF_SETS) :
                                           [{name: 'base', weight: 1, flags: []}];
const totalWeight = sets.reduce((s, x) => s + x.weight, 0);
function drawSet() {
  let r = crypto.randomInt(totalWeight);
  for (const s of sets) {
    if (r < s.weight) return s;
    r -= s.weight;
  }
  return sets[sets.length - 1];
}

// Load the emscripten program without running it, keeping a handle on its callMain.
// (Its first statement picks up a global `Module` object, which a function scope would hide.)
const kModuleDecl = 'var Module=typeof Module!="undefined"?Module:{};';
let source = fs.readFileSync(wasmOptPath, 'utf8').replace(/^#!.*\n/, '');
if (!source.startsWith(kModuleDecl)) {
  process.stderr.write('gen.cjs: unexpected wasm-opt.js layout\n');
  process.exit(3);
}
source = 'var Module=globalThis.wtrunWasmOptModule;' + source.slice(kModuleDecl.length);
globalThis.wtrunWasmOptModule = {noInitialRun: true, onRuntimeInitialized: generate,
                                 print: () => {}, printErr: () => {}};
const wrapped = vm.runInThisContext(
    '(function (require, module, __filename, __dirname) {' + source + '\n;return callMain;})',
    {filename: wasmOptPath});
const callMain = wrapped(require, {exports: {}}, wasmOptPath, require('path').dirname(wasmOptPath));

function generate() {
  // Deferred: onRuntimeInitialized runs before the wrapper above has returned callMain.
  setImmediate(() => {
    for (let i = first; i < first + count; ++i) {
      const id = String(i).padStart(6, '0');
      const seed = `${dir}/${id}.dat`, out = `${dir}/${id}.wasm`;
      fs.writeFileSync(seed, crypto.randomBytes(1024 + crypto.randomInt(31 * 1024)));
      const r = crypto.randomInt(100);
      const kLevels = ['-O1', '-O2', '-O3', '-O4', '-Os', '-Oz'];
      const extra = r < 90 ? [] : r < 94 ? [kLevels[crypto.randomInt(kLevels.length)]] :
                                           ['--fuzz-passes'];
      const set = drawSet();
      fs.writeFileSync(`${dir}/${id}.set`, set.name);
      fs.writeFileSync(`${dir}/${id}.extra`, [...set.flags, ...extra].join(' '));
      try {
        callMain([seed, '-ttf', ...flags, ...set.flags, ...extra, ...post, '-o', out]);
      } catch (e) {
        try { fs.unlinkSync(out); } catch (e2) {}
      }
      process.stdout.write(id + '\n');
    }
    process.exitCode = 0;
  });
}
