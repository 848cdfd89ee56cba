# Included by run.sh as CMAKE_PROJECT_wtrun_INCLUDE: defines diff_runner in a wtrun build
# whose CMakeLists do not add this directory, once everything else is defined.
set(WTRUN_DIFF_DIR ${CMAKE_CURRENT_LIST_DIR})
function(wtrun_diff_add_runner)
  if(NOT TARGET diff_runner)
    add_executable(diff_runner ${WTRUN_DIFF_DIR}/diff_runner.cpp)
    target_link_libraries(diff_runner PRIVATE wtrun_lib wtrun_warnings)
  endif()
endfunction()
cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL wtrun_diff_add_runner)
