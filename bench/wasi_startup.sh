#!/usr/bin/env bash
# Start-up of a WASI C hello world (a benchmark, not a test): median wall and CPU time of N runs of
#   wtrun hello.wasm            (decode, validate, compile, instantiate, run, exit)
#   node + node:wasi            (the same module under V8 with node's WASI)
#   the native build            (for scale)
# Usage: bench/wasi_startup.sh [BUILD_DIR] [N]   (BUILD_DIR: a configured build with the program
# tests built, e.g. build-release; N: 20)
set -euo pipefail
BUILD=${1:-build-release}
N=${2:-20}
WTRUN=$BUILD/wtrun
HELLO=$BUILD/tests/programs/hello.wasm
NATIVE=$BUILD/tests/programs/hello.native
for f in "$WTRUN" "$HELLO"; do
  [ -e "$f" ] || { echo "missing $f (build wtrun and wtrun_programs first)"; exit 1; }
done
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cat >"$TMP/node_wasi.mjs" <<'JS'
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
import { argv } from 'node:process';
const wasi = new WASI({ version: 'preview1', args: argv.slice(2), env: {} });
const module = await WebAssembly.compile(await readFile(argv[2]));
wasi.start(await WebAssembly.instantiate(module, wasi.getImportObject()));
JS

# measure CMD...: "WALL CPU" — the medians of N runs (one warm-up first) of the wall time and
# of the CPU time (user + sys), in milliseconds.
measure() {
  "$@" >/dev/null 2>&1 || true
  local TIMEFORMAT='%3R %3U %3S'
  for _ in $(seq "$N"); do
    { time "$@" >/dev/null 2>&1; } 2>&1
  done | awk '{ w[NR] = $1 * 1000; c[NR] = ($2 + $3) * 1000 }
    function median(a, n,   i, j, t) {
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    END { printf "%8.1f %8.1f", median(w, NR), median(c, NR) }'
}

echo "hello.wasm: $(stat -c %s "$HELLO") bytes; medians of $N runs, ms"
echo "                 wall      cpu"
echo "wtrun        $(measure "$WTRUN" "$HELLO")"
if command -v node >/dev/null; then
  echo "node (WASI)  $(measure node --no-warnings "$TMP/node_wasi.mjs" "$HELLO")  ($(node --version))"
fi
if [ -x "$NATIVE" ]; then
  echo "native       $(measure "$NATIVE")"
fi
