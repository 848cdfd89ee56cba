// Compares the event lines of v8_shell.cjs (V8) and diff_runner (wtrun) for one module, and
// sums up verdicts (docs/fuzzing-diff.md).
//
//   compare(v8Lines, wtrunLines) -> { verdict: 'agree'|'mismatch'|'skip', exports, skipped,
//                                     reason, detail }
//   node compare.cjs --summary RESULTS.jsonl   prints the campaign summary (exit 1 on mismatch)
'use strict';

// V8's trap messages and the wtrun trap messages (TrapSpecMessage) each may stand for.
// V8 words some traps differently or merges two spec traps into one message.
const kTrapKinds = {
  'unreachable': ['unreachable'],
  'memory access out of bounds': ['out of bounds memory access'],
  'data segment out of bounds': ['out of bounds memory access', 'out of bounds array access'],
  'data segment is out of bounds': ['out of bounds memory access'],
  'divide by zero': ['integer divide by zero'],
  'remainder by zero': ['integer divide by zero'],
  'divide result unrepresentable': ['integer overflow'],
  // NaN -> "invalid conversion to integer", out of range -> "integer overflow" in the spec.
  'float unrepresentable in integer range': ['integer overflow', 'invalid conversion to integer'],
  // call_indirect past the table's end is "undefined element" in the spec.
  'table index is out of bounds': ['out of bounds table access', 'undefined element'],
  // [wasmgc] array.init_elem / array.init_data with both the array range and the segment range
  // out of bounds: V8 13.6 may check the segment first, wtrun (the spec's order) the array.
  'element segment out of bounds': ['out of bounds table access', 'out of bounds array access'],
  // A null entry ("uninitialized element") or a signature mismatch.
  'null function or function signature mismatch':
      ['uninitialized element', 'indirect call type mismatch'],
  // [wasmgc] V8 has one null trap for struct, array, i31 and call_ref accesses.
  'dereferencing a null pointer':
      ['null', 'null structure reference', 'null array reference', 'null i31 reference'],
  'illegal cast': ['cast failure'],
  // [wasm3] throw_ref of a null exnref.
  'rethrowing null value': ['null'],
  'array element access out of bounds': ['out of bounds array access'],
  // An array.new past the engine's limit (V8: 2^27 elements or so; wtrun: its GC heap's bound).
  'requested new array is too large': ['out of memory'],
};

// [wasm3] JS cannot read an exnref (v8_shell.cjs reads only whether it is null): wtrun's
// "exnref:tag NAME (PAYLOAD)" becomes "exnref:non-null" (the payload's parentheses balanced).
function withoutExnPayloads(line) {
  let out = '';
  let p = 0;
  for (let at = line.indexOf('exnref:tag ', p); at >= 0; at = line.indexOf('exnref:tag ', p)) {
    let q = line.indexOf(' (', at);
    if (q < 0) break;
    let depth = 0;
    for (++q; q < line.length; ++q) {
      if (line[q] === '(') ++depth;
      if (line[q] === ')' && --depth === 0) break;
    }
    out += line.slice(p, at) + 'exnref:non-null';
    p = q + 1;
  }
  return out + line.slice(p);
}

function sameLine(v8, wt) {
  if (v8 === wt) return true;
  if (wt.includes('exnref:tag ') && v8 === withoutExnPayloads(wt)) return true;
  // [wasm3] wtrun names the tag and payload of a wasm exception that left the call; V8's shell
  // only knows it was an exception.
  if (/^(instantiate )?exception$/.test(v8) && wt.startsWith(v8 + ' ')) return true;
  const m8 = /^(instantiate )?trap (.*)$/.exec(v8);
  const mw = /^(instantiate )?trap (.*)$/.exec(wt);
  if (!m8 || !mw || m8[1] !== mw[1]) return false;
  const kinds = kTrapKinds[m8[2]];
  return kinds !== undefined && kinds.includes(mw[2]);
}

// Splits the lines into segments: the instantiation (up to the "instantiate" line, with what
// a start function logged) and one per export call ("call NAME" and what follows).
function segments(lines) {
  const segs = [];
  let cur = {name: '(instantiation)', lines: []};
  for (const line of lines) {
    if (line === 'done') break;
    if (line.startsWith('call ')) {
      segs.push(cur);
      cur = {name: line.slice(5), lines: []};
    }
    cur.lines.push(line);
  }
  segs.push(cur);
  return segs;
}

function outcome(seg) {
  let n = seg.lines.length;
  while (n > 0 && /^(globals|tables|memory)\b/.test(seg.lines[n - 1])) --n;
  const last = seg.lines[n - 1] || '';
  const m = /^(instantiate )?(exhausted|fuel|timeout)$/.exec(last);
  return m ? m[2] : null;
}

function compare(v8, wt) {
  const unsupported = v8.concat(wt).find((l) => l.startsWith('unsupported'));
  if (unsupported) return {verdict: 'skip', exports: 0, reason: unsupported};
  if (v8[v8.length - 1] !== 'done') return {verdict: 'skip', exports: 0, reason: 'v8 output incomplete'};
  if (wt[wt.length - 1] !== 'done') {
    return {verdict: 'mismatch', exports: 0, reason: 'wtrun output incomplete',
            detail: 'last wtrun line: ' + (wt[wt.length - 1] || '(none)')};
  }
  const l8 = v8[0] || '', lw = wt[0] || '';
  if (l8.startsWith('load-error') && lw.startsWith('load-error')) {
    return {verdict: 'skip', exports: 0, reason: 'both reject the module',
            detail: `v8: ${l8.slice(11)}; wtrun: ${lw.slice(11)}`};
  }
  // [wasm3] V8 refuses a module wtrun runs and names a feature flag: this V8 lacks the
  // feature (node 20's V8 11.3 decodes typed function references with their pre-standard
  // opcodes: ref.as_non_null, 0xd4 in Wasm 3.0, is its br_on_null). run.sh has compared wtrun's
  // lazy and eager (and aarch64) runs already; V8 cannot be the oracle here.
  const lacks = /enable with --experimental-wasm-([a-z0-9_-]+)/.exec(l8);
  if (l8.startsWith('load-error') && lacks && !lw.startsWith('load-error')) {
    return {verdict: 'skip', exports: 0, reason: `V8 lacks ${lacks[1]} (compared wtrun with itself only)`,
            detail: l8.slice(11)};
  }
  const s8 = segments(v8), sw = segments(wt);
  const calls = s8.length - 1;
  let agreed = 0;
  for (let i = 0; i < Math.max(s8.length, sw.length); ++i) {
    const a = s8[i], b = sw[i];
    if (!a || !b || a.name !== b.name) {
      return {verdict: 'mismatch', exports: agreed, reason: 'different exports called',
              detail: `v8: ${a ? a.name : '(none)'}, wtrun: ${b ? b.name : '(none)'}`};
    }
    const o8 = outcome(a), ow = outcome(b);
    if (o8 !== null || ow !== null) {
      // Stack exhaustion happens at different depths (and fuel is wtrun's own bound): what
      // ran before it may differ, and so may the state left for later exports. Stop here.
      const rest = calls - agreed - (i > 0 ? 1 : 0);
      if (o8 === 'exhausted' && ow === 'exhausted') {
        return {verdict: 'agree', exports: agreed + (i > 0 ? 1 : 0), skipped: rest,
                reason: 'stack exhausted on both (rest not compared)'};
      }
      const why = ow === 'fuel' ? 'wtrun out of fuel' : ow === 'timeout' ? 'wtrun timeout (epoch)' :
          o8 === 'exhausted' ? 'stack exhausted on v8 only' : 'stack exhausted on wtrun only';
      return {verdict: 'skip', exports: agreed, skipped: rest + (i > 0 ? 1 : 0), reason: why,
              detail: `in ${a.name}: v8 ${o8 || 'finished'}, wtrun ${ow || 'finished'}`};
    }
    for (let j = 0; j < Math.max(a.lines.length, b.lines.length); ++j) {
      const x = a.lines[j], y = b.lines[j];
      if (x === undefined || y === undefined || !sameLine(x, y)) {
        if (i === 0 && x && y && x.startsWith('instantiate error') &&
            y.startsWith('instantiate error')) {
          return {verdict: 'skip', exports: 0, reason: 'both refuse to link', detail: x};
        }
        // [wasmgc] An allocation past one engine's limit only (V8 refuses arrays of more than
        // about 2^27 elements, wtrun allocates up to its GC heap bound): a resource limit,
        // which the spec leaves to the engine. Not compared from here on, like an exhaustion.
        if (x === 'trap requested new array is too large' || y === 'trap out of memory') {
          return {verdict: 'skip', exports: agreed, skipped: calls - agreed,
                  reason: 'allocation limit reached on one side (rest not compared)',
                  detail: `in ${a.name}: v8 "${x}", wtrun "${y}"`};
        }
        return {verdict: 'mismatch', exports: agreed, reason: 'different output',
                detail: `in ${a.name}, line ${j}: v8 "${x === undefined ? '(nothing)' : x}", ` +
                    `wtrun "${y === undefined ? '(nothing)' : y}"`};
      }
    }
    if (i > 0) ++agreed;
  }
  return {verdict: 'agree', exports: agreed};
}

// Sums up a campaign: one JSON verdict per line (run.sh adds `module` and `seconds`).
function summary(file) {
  const fs = require('fs');
  const results = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l).map((l) => JSON.parse(l));
  const count = (pred) => results.filter(pred).length;
  const reasons = (verdict) => {
    const by = {};
    for (const r of results)
      if (r.verdict === verdict && r.reason) by[r.reason] = (by[r.reason] || 0) + 1;
    return Object.entries(by).sort((x, y) => y[1] - x[1]).map(([k, v]) => `    ${v}  ${k}`).join('\n');
  };
  const exports = results.reduce((s, r) => s + (r.exports || 0), 0);
  const skippedExports = results.reduce((s, r) => s + (r.skipped || 0), 0);
  const mismatches = count((r) => r.verdict === 'mismatch');
  const partial = results.filter((r) => r.verdict === 'agree' && r.reason);
  const lines = [
    `modules: ${results.length}`,
    `export calls agreeing: ${exports}`,
    `modules agreeing: ${count((r) => r.verdict === 'agree')}` +
        (partial.length ? ` (${partial.length} stopped early after a stack exhaustion on both)` : ''),
    `mismatches: ${mismatches}`,
  ];
  if (mismatches) lines.push(reasons('mismatch'));
  const modes = {};
  for (const r of results) if (r.mode) modes[r.mode] = (modes[r.mode] || 0) + 1;
  if (Object.keys(modes).length)
    lines.push('modules per wtrun mode: ' + Object.entries(modes).map(([k, v]) => `${k} ${v}`).join(', '));
  // [wasm3] Per feature set (run.sh's SETS_TABLE): modules, agreeing, and with which oracle.
  const sets = {};
  for (const r of results) {
    const k = r.set || '2.0';
    sets[k] = sets[k] || {n: 0, agree: 0, v8: 0, wtrun: 0, calls: 0};
    ++sets[k].n;
    if (r.verdict === 'agree') {
      ++sets[k].agree;
      ++sets[k][r.oracle || 'v8'];
      sets[k].calls += r.exports || 0;
    }
  }
  if (Object.keys(sets).length) {
    lines.push('modules per feature set (agreeing: with V8 / wtrun lazy = eager [= aarch64] ' +
               'only; export calls agreeing):');
    for (const [k, v] of Object.entries(sets).sort()) {
      lines.push(`    ${k}: ${v.n} modules, ${v.agree} agreeing (${v.v8} / ${v.wtrun}), ` +
                 `${v.calls} export calls`);
    }
  }
  lines.push(`modules skipped: ${count((r) => r.verdict === 'skip')}`);
  const sr = reasons('skip');
  if (sr) lines.push(sr);
  lines.push(`export calls not compared (after a stack exhaustion or out of fuel): ${skippedExports}`);
  for (const r of results.filter((r) => r.verdict === 'mismatch'))
    lines.push(`  MISMATCH ${r.module}: ${r.reason}${r.detail ? ': ' + r.detail : ''}`);
  process.stdout.write(lines.join('\n') + '\n');
  return mismatches ? 1 : 0;
}

module.exports = {compare, summary};

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args[0] === '--summary' && args[1]) process.exit(summary(args[1]));
  process.stderr.write('usage: node compare.cjs --summary RESULTS.jsonl\n');
  process.exit(2);
}
