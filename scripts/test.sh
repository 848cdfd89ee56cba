#!/usr/bin/env bash
# One command: install what is missing, build wtrun and its tests (release, warnings as
# errors), run the whole test suite (unit tests and the spec suites in ../shared).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh" "$root/build/test" -DWTRUN_WERROR=ON
cd "$root/build/test"
ctest --output-on-failure -j"$(nproc)"
