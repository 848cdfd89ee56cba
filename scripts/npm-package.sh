#!/usr/bin/env bash
# Installs an npm package at an exact version into DIR/node_modules when it is not there yet
# (test and benchmark tools only, never runtime dependencies: binaryen@132 for the
# differential fuzzer, node@24 — V8 13.6's WasmGC — as its oracle and the GC benchmarks' peer).
#   scripts/npm-package.sh DIR NAME VERSION
# Exits 0 when DIR/node_modules/NAME/package.json has VERSION afterwards; otherwise says why on
# stderr and exits 1 (callers fall back to what the machine has).
set -uo pipefail
dir=$1 name=$2 version=$3
have() {
  [ -f "$dir/node_modules/$name/package.json" ] &&
    grep -q "\"version\": *\"$version\"" "$dir/node_modules/$name/package.json"
}
have && exit 0
if ! command -v npm >/dev/null; then
  echo "npm-package: npm is missing: cannot install $name@$version" >&2
  exit 1
fi
echo "npm-package: installing $name@$version from npm into $dir" >&2
mkdir -p "$dir"
(cd "$dir" && npm install --no-audit --no-fund --silent "$name@$version" >&2) ||
  echo "npm-package: npm install $name@$version failed" >&2
have
