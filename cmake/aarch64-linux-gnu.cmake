# Toolchain file: cross-compile wtrun for aarch64 Linux on an amd64 Debian machine with
# g++-aarch64-linux-gnu and Debian's arm64 multiarch -dev packages (libasmjit-dev:arm64,
# libgtest-dev:arm64, libfmt-dev:arm64, libspdlog-dev:arm64; scripts/setup.sh --a64), and run
# what it builds (ctest, gtest discovery) under qemu-user (docs/a64.md).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
find_program(CMAKE_CXX_COMPILER NAMES aarch64-linux-gnu-g++-12 aarch64-linux-gnu-g++ REQUIRED)
# Multiarch: arm64 libraries in /usr/lib/aarch64-linux-gnu, headers shared in /usr/include.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
set(CMAKE_PREFIX_PATH /usr/lib/aarch64-linux-gnu/cmake)
# The programs run with the arm64 multiarch loader and libc (libc6:arm64, pulled in by the
# -dev:arm64 packages: /lib/ld-linux-aarch64.so.1), not with `-L /usr/aarch64-linux-gnu`: that
# sysroot's ld.so (the cross toolchain's libc 2.36-8) with the multiarch libc.so.6 of another
# Debian revision makes every pthread_create spin forever under qemu (worker E, session 7).
find_program(WTRUN_QEMU_AARCH64 NAMES qemu-aarch64 qemu-aarch64-static REQUIRED)
set(CMAKE_CROSSCOMPILING_EMULATOR ${WTRUN_QEMU_AARCH64})
