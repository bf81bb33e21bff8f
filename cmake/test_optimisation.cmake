# trapeze_test_optimisation(DIR): the GoogleTest programs defined in DIR compile
# their own sources at -O1. They are the bulk of every native build (GoogleTest and
# nlohmann-json templates in each of ~80 files) and spend their run time in the
# core libraries, which keep the preset's level (-O3 Release, -O2 asan). Measured
# on tests/vmm/paravirt_test.cpp: 4.6 s of CPU at -O3, 3.4 s at -O1
# (bench/results/ci-time.md). The last -O on the command line wins.
function(trapeze_test_optimisation dir)
  get_property(_targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  foreach(_t IN LISTS _targets)
    get_target_property(_type ${_t} TYPE)
    if(_type STREQUAL "EXECUTABLE" AND _t MATCHES "_tests$")
      target_compile_options(${_t} PRIVATE $<$<CONFIG:Release,RelWithDebInfo>:-O1>)
    endif()
  endforeach()
endfunction()
