# The frontend reads the VMM through its inspection API (core/vmm/inspect.h) and the
# Strategy interface only: no file in wasm/ includes a strategy's own header. The
# strategy headers are found, not listed: every header of core/vmm that declares a
# class deriving (directly or through another) from Strategy.
#   cmake -DSOURCE=<repository> -P include_rule.cmake              checks wasm/
#   cmake -DSOURCE=<repository> -DSELF_TEST=ON -P include_rule.cmake
#       checks that the rule catches tests/frontend/include_rule_fixture/
cmake_minimum_required(VERSION 3.20)

# The headers of core/vmm declaring a Strategy subclass, as "vmm/<name>.h".
function(strategy_headers out)
  file(GLOB _headers ${SOURCE}/core/vmm/*.h)
  set(_bases Strategy)
  set(_found)
  set(_grew TRUE)
  while(_grew)
    set(_grew FALSE)
    foreach(_h IN LISTS _headers)
      file(READ ${_h} _text)
      string(REGEX MATCHALL "class [A-Za-z_0-9]+( final)? *: *public [A-Za-z_0-9:]+" _decls "${_text}")
      foreach(_d IN LISTS _decls)
        string(REGEX REPLACE "class ([A-Za-z_0-9]+).*public ([A-Za-z_0-9:]+)" "\\1;\\2" _pair "${_d}")
        list(GET _pair 0 _class)
        list(GET _pair 1 _base)
        string(REGEX REPLACE ".*::" "" _base "${_base}")
        if(_base IN_LIST _bases AND NOT _class IN_LIST _bases)
          list(APPEND _bases ${_class})
          get_filename_component(_name ${_h} NAME)
          list(APPEND _found "vmm/${_name}")
          set(_grew TRUE)
        endif()
      endforeach()
    endforeach()
  endwhile()
  list(REMOVE_DUPLICATES _found)
  set(${out} ${_found} PARENT_SCOPE)
endfunction()

# "file: #include line" for every file under `dir` including one of `headers`.
function(violations dir headers out)  # headers: the name of a list variable
  file(GLOB_RECURSE _files ${dir}/*.cpp ${dir}/*.h)
  set(_bad)
  foreach(_f IN LISTS _files)
    file(STRINGS ${_f} _includes REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<]")
    foreach(_line IN LISTS _includes)
      string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*[\"<]([^\">]+)[\">].*" "\\1" _path "${_line}")
      if(_path IN_LIST ${headers})
        file(RELATIVE_PATH _rel ${SOURCE} ${_f})
        list(APPEND _bad "${_rel}: ${_line}")
      endif()
    endforeach()
  endforeach()
  set(${out} "${_bad}" PARENT_SCOPE)
endfunction()

strategy_headers(_strategy)
if(NOT "vmm/native.h" IN_LIST _strategy)
  message(FATAL_ERROR "include_rule: found no strategy headers in core/vmm (found: ${_strategy})")
endif()

if(SELF_TEST)
  violations(${SOURCE}/tests/frontend/include_rule_fixture _strategy _bad)
  list(LENGTH _bad _n)
  if(NOT _n EQUAL 2)
    message(FATAL_ERROR "include_rule: the fixture includes two strategy headers, the rule found ${_n}: ${_bad}")
  endif()
  message(STATUS "include_rule: the rule catches the fixture's ${_n} includes")
  return()
endif()

violations(${SOURCE}/wasm _strategy _bad)
if(_bad)
  list(JOIN _bad "\n  " _lines)
  message(FATAL_ERROR "The frontend includes a strategy's header (read the VMM through vmm/inspect.h):\n  ${_lines}")
endif()
list(JOIN _strategy ", " _names)
message(STATUS "include_rule: no file in wasm/ includes ${_names}")
