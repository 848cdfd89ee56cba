#!/usr/bin/env bash
# [a64] The aarch64 build and its tests on an x86_64 machine: cross-compiles wtrun and its unit
# tests (cmake/aarch64-linux-gnu.cmake, release, warnings as errors) into DIR (default
# build/a64) and runs their ctest under qemu-user (CMake's CROSSCOMPILING_EMULATOR; scripts get
# DIR/wtrun-emulated): the unit tests (4 gtest shards), the spec suites (2.0 eager, 3.0 lazy;
# -DWTRUN_EMULATED_SPEC_ALL=ON: both in both modes; threads, legacy exceptions, custom page
# sizes), the CLI tests, the trap reports, tests/programs and the WASI testsuite, with the same
# expectations files as on x86_64. Every test has a time limit (a hang under qemu fails instead
# of stalling CI). scripts/setup.sh installs what it needs.
#   scripts/a64.sh [DIR] [ctest options...]     e.g. scripts/a64.sh build/a64 -R spec_
# Environment: A64_JOBS (ctest and build jobs, default nproc), A64_BUILD_ONLY=1 (no ctest),
# A64_TEST_TIMEOUT (seconds, for tests without their own limit; default 900).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-$root/build/a64}"
[ $# -gt 0 ] && shift
jobs="${A64_JOBS:-$(nproc)}"
start=$SECONDS
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S "$root" -B "$dir" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/aarch64-linux-gnu.cmake" \
  -DCMAKE_BUILD_TYPE=Release -DWTRUN_WERROR=ON "${launcher[@]}" >/dev/null
# Only what the tests run (the fuzzers, the benchmarks and the Windows build are x86_64 only):
# wtrun, the unit tests and the C programs of tests/programs (clang to wasm32-wasi: the same
# .wasm files as on x86_64; their native references are built for this machine).
targets=(wtrun wtrun_unit_tests)
if grep -qw wtrun_programs <<<"$(cmake --build "$dir" --target help 2>/dev/null)"; then
  targets+=(wtrun_programs)
fi
cmake --build "$dir" -j"$jobs" --target "${targets[@]}"
echo "a64: built ${targets[*]} in $((SECONDS - start)) s"
[ "${A64_BUILD_ONLY:-0}" = 1 ] && exit 0
cd "$dir"
test_start=$SECONDS
status=0
ctest --output-on-failure -j"$jobs" --timeout "${A64_TEST_TIMEOUT:-900}" "$@" || status=$?
echo "a64: ctest under qemu in $((SECONDS - test_start)) s (stage $((SECONDS - start)) s)"
exit $status
