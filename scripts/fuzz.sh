#!/usr/bin/env bash
# One command for the fuzzers (docs/fuzzing.md): scripts/fuzz.sh [SECONDS]
#
# Installs clang-14 and libFuzzer when missing (Debian 12: clang-14, libclang-rt-14-dev), builds
# the libFuzzer targets decode, text, run and wast (clang-14, ASan + UBSan, build/fuzz/build),
# makes the seed corpora from the spec suites in ../shared with wtrun's own front end
# (build/fuzz/seeds), runs each target for SECONDS (default 60) on its corpus
# (build/fuzz/corpus/TARGET, kept between runs), then the differential harness
# (tests/fuzz/diff/run.sh SECONDS) when it is there. One summary line per target; crash inputs
# go to build/fuzz/crashes; exits 1 if anything crashed.
#
# Environment: FUZZ_TARGETS="decode text run wast simd_isa" (the libFuzzer targets to run;
# simd_isa runs on the run target's seeds), FUZZ_JOBS
# (build jobs, default nproc), FUZZ_BUILD (the CMake build directory, default build/fuzz/build),
# FUZZ_NO_DIFF=1 (skip the differential harness).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
case "$seconds" in '' | *[!0-9]*)
  echo "usage: scripts/fuzz.sh [SECONDS]" >&2
  exit 2
  ;;
esac
out="$root/build/fuzz"
build="${FUZZ_BUILD:-$out/build}"
targets=(${FUZZ_TARGETS:-decode text run wast simd_isa})
jobs="${FUZZ_JOBS:-$(nproc)}"
shared="$root/../shared"

# ---- Tools: clang-14 and its libFuzzer runtime (plus what the project itself needs).
fuzzer_lib() {
  local lib
  lib="$(clang++-14 -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null || true)"
  [ -n "$lib" ] && [ -f "$lib" ]
}
if ! command -v clang++-14 >/dev/null || ! fuzzer_lib; then
  echo "fuzz: installing clang-14 libclang-rt-14-dev"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends clang-14 libclang-rt-14-dev
fi
if [ -x "$root/scripts/setup.sh" ] || [ -f "$root/scripts/setup.sh" ]; then
  bash "$root/scripts/setup.sh"
fi

# ---- Build: the three libFuzzer binaries and the corpus tool. -O1 with the checks of a debug
# build (WT_DCHECK) on.
echo "== fuzz: building the libFuzzer targets (clang-14, ASan + UBSan) in $build =="
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$root}"
fi
CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" -DWTRUN_FUZZ=ON -DWTRUN_BUILD_TESTS=OFF -DWTRUN_WERROR=ON \
  "${launcher[@]}" >/dev/null
build_targets=(fuzz_corpus)
for t in "${targets[@]}"; do build_targets+=("fuzz_$t"); done
cmake --build "$build" -j"$jobs" --target "${build_targets[@]}" >"$out.build.log" 2>&1 || {
  tail -n 40 "$out.build.log"
  echo "fuzz: build failed (log: $out.build.log)"
  exit 1
}

# ---- Seeds: the modules and commands of the spec suites (made once), the repository's own
# seeds and findings, and a libFuzzer dictionary per input kind.
mkdir -p "$out/crashes" "$out/logs"
if [ ! -f "$out/seeds/.done" ] || [ ! -d "$out/seeds/wast" ]; then
  dirs=()
  for d in "$shared/testsuite-2.0" "$shared/testsuite"; do
    if [ -d "$d" ]; then dirs+=("$d"); else echo "fuzz: $d not found: no spec seeds from it"; fi
  done
  rm -rf "$out/seeds"
  mkdir -p "$out/seeds"
  if [ "${#dirs[@]}" -gt 0 ]; then
    "$build/tests/fuzz/fuzz_corpus" "$out/seeds" "${dirs[@]}"
  else
    "$build/tests/fuzz/fuzz_corpus" "$out/seeds" "$root/tests/fuzz/seeds"
  fi
  touch "$out/seeds/.done"
fi
# The repository's seeds and findings (open ones included), every time: their modules feed
# decode and run, their commands feed text.
rm -rf "$out/repo-seeds"
"$build/tests/fuzz/fuzz_corpus" "$out/repo-seeds" "$root/tests/fuzz/seeds" \
  "$root/tests/fuzz/findings" >/dev/null
for f in "$root"/tests/fuzz/{seeds,findings,findings/open}/*.{wat,wast}; do
  if [ -f "$f" ]; then cp "$f" "$out/repo-seeds/text/" && cp "$f" "$out/repo-seeds/wast/"; fi
done
for t in decode run text wast simd_isa; do mkdir -p "$out/corpus/$t"; done

# ---- Run each target for SECONDS.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allow_user_segv_handler=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export WTRUN_FUZZ_TOLERATE_OPEN="${WTRUN_FUZZ_TOLERATE_OPEN:-1}"  # new findings, not the open ones
failed=0
summary=()
for t in "${targets[@]}"; do
  dict="$out/seeds/binary.dict"
  max_len=65536
  case "$t" in text | wast) dict="$out/seeds/text.dict" max_len=16384 ;; esac
  seeds="$t"
  if [ "$t" = simd_isa ]; then seeds=run; fi  # modules, as for run
  log="$out/logs/$t.log"
  before="$(find "$out/crashes" -name "$t-*" | wc -l)"
  echo "== fuzz: $t for ${seconds}s (log: $log) =="
  status=0
  "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 \
    -max_len="$max_len" -dict="$dict" -print_final_stats=1 \
    -artifact_prefix="$out/crashes/$t-" \
    "$out/corpus/$t" "$out/seeds/$seeds" "$out/repo-seeds/$seeds" >"$log" 2>&1 || status=$?
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)"
  after="$(find "$out/crashes" -name "$t-*" | wc -l)"
  crashes=$((after - before))
  if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes=1; fi
  line="fuzz_$t: ${execs:-?} execs in ${seconds}s (${rate:-?}/s), $crashes crashes"
  if [ "$crashes" -ne 0 ]; then
    failed=1
    line="$line (exit $status; inputs in $out/crashes/$t-*; log $log)"
    grep -m 5 -E "ERROR|SUMMARY|disagreement|check failed|runtime error" "$log" || true
  fi
  summary+=("$line")
  echo "$line"
done

# ---- The differential harness (tests/fuzz/diff/, its own summary).
if [ -z "${FUZZ_NO_DIFF:-}" ] && [ -f "$root/tests/fuzz/diff/run.sh" ]; then
  echo "== fuzz: differential execution (tests/fuzz/diff/run.sh $seconds) =="
  if bash "$root/tests/fuzz/diff/run.sh" "$seconds"; then
    summary+=("diff: passed")
  else
    summary+=("diff: FAILED (tests/fuzz/diff/run.sh exit $?)")
    failed=1
  fi
fi

echo "== fuzz: summary =="
printf '%s\n' "${summary[@]}"
exit "$failed"
