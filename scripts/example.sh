#!/usr/bin/env bash
# One command: install what is missing, build a release wtrun, run the bundled example.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh" "$root/build/release" -DWTRUN_BUILD_TESTS=OFF
"$root/build/release/wtrun" --version
"$root/build/release/wtrun" compile "$root/examples/hello.wat"
"$root/build/release/wtrun" wast "$root/examples/demo.wast"
"$root/build/release/wtrun" --invoke fac "$root/examples/fac.wat" 20
