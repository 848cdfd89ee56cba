#!/usr/bin/env bash
# Installs the Debian 12 packages wtrun needs to build and test, when any are missing.
set -euo pipefail

packages=(
  cmake g++ make pkg-config
  libasmjit-dev libcli11-dev libfmt-dev libspdlog-dev libgtest-dev
  # [traps] the Windows trap handler's cross build (cmake/windows-trap) and its test run
  g++-mingw-w64-x86-64-posix wine64
  # [wasi] the program tests (tests/programs): C compiled to wasm32-wasi
  clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32
  # [harden] the fuzzers (scripts/fuzz.sh: libFuzzer is in clang's runtime) and the differential
  # harness (tests/fuzz/diff: binaryen's wasm-opt when npm's newer one cannot be installed)
  libclang-rt-14-dev binaryen
)
# [a64] The aarch64 cross build (cmake/aarch64-linux-gnu.cmake) and its tests under qemu-user:
# the cross compiler, qemu, binutils for the golden a64 disassembly, and the arm64 builds of
# the libraries (Debian multiarch; CLI11 is header-only, the amd64 package serves both).
# WTRUN_A64=0 leaves them out.
a64_host=(g++-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-user)
# libc6/libstdc++6:arm64: the multiarch loader and C++ runtime the tests run with under qemu
# (qemu-aarch64 without -L; see cmake/aarch64-linux-gnu.cmake).
a64_arm64=(libasmjit-dev:arm64 libgtest-dev:arm64 libfmt-dev:arm64 libspdlog-dev:arm64 libc6:arm64
           libstdc++6:arm64)
if [ "${WTRUN_A64:-1}" != 0 ]; then packages+=("${a64_host[@]}"); fi
if [ "${1:-}" = "--bench" ]; then packages+=(gnuplot-nox); fi  # optional: bench/suite.sh's chart (docs/performance.md)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# [a64] The arm64 libraries need the architecture in dpkg and its package lists first.
if [ "${WTRUN_A64:-1}" != 0 ]; then
  missing=()
  for p in "${a64_arm64[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing ${missing[*]} (dpkg architecture arm64)"
    sudo_cmd=()
    if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
    export DEBIAN_FRONTEND=noninteractive
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
      "${sudo_cmd[@]}" dpkg --add-architecture arm64
    fi
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi
# [harden] node (V8) is the oracle of the differential harness (tests/fuzz/diff): Debian's
# nodejs and npm when no node is on PATH (a newer node found there is used as it is).
if ! command -v node >/dev/null; then
  echo "setup: installing nodejs npm"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends nodejs npm
fi
