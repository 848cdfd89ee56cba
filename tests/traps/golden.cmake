# Runs `wtrun ARGS...` in WORKDIR and compares its stderr with EXPECTED (exactly) and its exit
# status with EXIT. With the environment variable WTRUN_BLESS=1 the expected file is
# (re)written instead.
#   cmake -DWTRUN=... -DWORKDIR=... -DEXPECTED=... -DEXIT=134 "-DARGS=a;b" -P golden.cmake
separate_arguments(args NATIVE_COMMAND "${ARGS}")
execute_process(COMMAND ${WTRUN} ${args}
                WORKING_DIRECTORY ${WORKDIR}
                RESULT_VARIABLE status
                OUTPUT_VARIABLE out
                ERROR_VARIABLE err)
if(DEFINED ENV{WTRUN_BLESS} AND "$ENV{WTRUN_BLESS}" STREQUAL "1")
  set(blessed "${err}")
  if(EXISTS ${EXPECTED})
    file(READ ${EXPECTED} old)
    if(old MATCHES "… N more frames")
      string(REGEX REPLACE "… [0-9]+ more frames" "… N more frames" blessed "${blessed}")
    endif()
  endif()
  file(WRITE ${EXPECTED} "${blessed}")
  message(STATUS "blessed ${EXPECTED}")
endif()
if(NOT "${status}" STREQUAL "${EXIT}")
  message(FATAL_ERROR "exit status ${status}, expected ${EXIT}\nstdout:\n${out}\nstderr:\n${err}")
endif()
file(READ ${EXPECTED} want)
# Frame counts that depend on the stack size are written "… N more frames" in the expected
# file.
if(want MATCHES "… N more frames")
  string(REGEX REPLACE "… [0-9]+ more frames" "… N more frames" err "${err}")
endif()
if(NOT "${err}" STREQUAL "${want}")
  message(FATAL_ERROR "stderr differs from ${EXPECTED}\n--- got:\n${err}--- expected:\n${want}")
endif()
