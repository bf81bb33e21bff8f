# cli.install: `cmake --install` puts `trapeze` under a fresh prefix, and the
# installed copy runs an experiment from an empty directory outside the
# repository (it needs no file beside itself). Run as:
#   cmake -DBUILD=<build dir> -P install_check.cmake
execute_process(COMMAND mktemp -d OUTPUT_VARIABLE tmp OUTPUT_STRIP_TRAILING_WHITESPACE)
file(MAKE_DIRECTORY ${tmp}/cwd)
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD} --prefix ${tmp}/prefix
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  file(REMOVE_RECURSE ${tmp})
  message(FATAL_ERROR "cmake --install failed (${rc}): ${out}${err}")
endif()
set(exe ${tmp}/prefix/bin/trapeze)
if(NOT EXISTS ${exe})
  file(REMOVE_RECURSE ${tmp})
  message(FATAL_ERROR "cmake --install did not put trapeze in bin/")
endif()
execute_process(COMMAND ${exe} experiment nano --json WORKING_DIRECTORY ${tmp}/cwd
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(REMOVE_RECURSE ${tmp})
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the installed trapeze failed (${rc}): ${err}")
endif()
string(JSON rows ERROR_VARIABLE json_error LENGTH "${out}" rows)
if(json_error OR NOT rows EQUAL 7)
  message(FATAL_ERROR "expected the 7 rows of the nano table, got: ${out}${json_error}")
endif()
message(STATUS "installed trapeze ran `experiment nano` from an empty directory: ${rows} rows")
