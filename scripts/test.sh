#!/usr/bin/env bash
# One command: install what is missing, build wtrun and its tests (release, warnings as
# errors), run the whole test suite (unit tests and the spec suites in ../shared); then the
# aarch64 cross build and the same tests under qemu-user (scripts/a64.sh; WTRUN_A64=0 skips it).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh" "$root/build/test" -DWTRUN_WERROR=ON
cd "$root/build/test"
ctest --output-on-failure -j"$(nproc)"
if [ "${WTRUN_A64:-1}" != 0 ]; then
  echo "== aarch64: cross build, tests under qemu-user (scripts/a64.sh) =="
  "$root/scripts/a64.sh" "$root/build/a64"
fi
