# Included by wasm/CMakeLists.txt for the browser build: what trapeze.wasm spends
# its bytes on (bench/results/page-load.md). Code that runs once per frame or
# once per action is compiled for size; the interpreter and the VMM (trapeze_machine,
# trapeze_vmm, and trapeze_isa's decoder they call) keep the build type's -O3.
# A later -O on the command line wins, so these follow CMAKE_CXX_FLAGS_RELEASE.
# The link's -Oz only sets how hard wasm-opt shrinks the whole module (it inlines
# less): the interpreter's functions were already compiled by clang at -O3.
if(NOT CMAKE_BUILD_TYPE STREQUAL "Release")
  return()
endif()
# Drawn every frame: small, but not at any price in frame time.
foreach(_t trapeze_app trapeze_imgui)
  target_compile_options(${_t} PRIVATE -Os)
endforeach()
# Run when a scenario, lab, source or snapshot is loaded, parsed, assembled or saved.
foreach(_t trapeze_text trapeze_asm trapeze_scenario trapeze_experiments trapeze_session
           trapeze_bundle trapeze_lab trapeze_md4c trapeze_zlib)
  if(TARGET ${_t})
    target_compile_options(${_t} PRIVATE -Oz)
  endif()
endforeach()
target_link_options(trapeze_app PRIVATE -Oz)
