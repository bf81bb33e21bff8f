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
# -Os, not -Oz: measured, -Oz made these libraries' code larger after gzip -9
# (trapeze.wasm 600,379 B with -Oz, 599,531 B with -Os).
foreach(_t trapeze_text trapeze_asm trapeze_scenario trapeze_experiments trapeze_session
           trapeze_bundle trapeze_lab trapeze_md4c trapeze_zlib)
  if(TARGET ${_t})
    target_compile_options(${_t} PRIVATE -Os)
  endif()
endforeach()
target_link_options(trapeze_app PRIVATE -Oz)
# The cold files of the fast layers: what saves and restores state (snapshots, rewind
# checkpoints; not the archive's byte copying, state_archive.cpp, which moves
# megabytes per checkpoint), the counters' JSON, events in words, the inspection
# API's tables and the invariant checks, the disassembler (the panels' visible rows),
# making a strategy: once per frame at most, never per instruction.
set(_cold_core machine/machine_state.cpp vmm/vmm_state.cpp
               vmm/strategy_state.cpp vmm/counters_json.cpp vmm/inspect.cpp vmm/consistency.cpp
               vmm/shadow_check.cpp vmm/event_text.cpp isa/disassemble.cpp vmm/strategy_factory.cpp)
list(TRANSFORM _cold_core PREPEND ${PROJECT_SOURCE_DIR}/core/)
set_source_files_properties(${_cold_core} DIRECTORY ${PROJECT_SOURCE_DIR}/core
                            PROPERTIES COMPILE_OPTIONS -Oz)
