# Toolchain file: cross-compile for 64-bit Windows with Debian's mingw-w64 (posix threads
# flavour, for std::thread / std::mutex). Used by cmake/windows-trap (the Windows trap handler
# build CI runs).
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(WTRUN_MINGW_PREFIX x86_64-w64-mingw32)
find_program(CMAKE_CXX_COMPILER NAMES ${WTRUN_MINGW_PREFIX}-g++-posix ${WTRUN_MINGW_PREFIX}-g++
             REQUIRED)
find_program(CMAKE_RC_COMPILER NAMES ${WTRUN_MINGW_PREFIX}-windres)
set(CMAKE_FIND_ROOT_PATH /usr/${WTRUN_MINGW_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
