# trapeze_bundle: the files the program needs at run time (see bundle/bundled_files.h):
# guest kernels and their includes, their golden outputs, the preset scenarios and
# the labs (labs/*.md, their .s and .json). Compiled in, except in the browser build,
# which reads them from a data file. Generated at build time by make_bundle.cmake,
# regenerated whenever one of those files changes or one is added.
set(_root ${PROJECT_SOURCE_DIR})
file(GLOB_RECURSE _bundle_abs CONFIGURE_DEPENDS ${_root}/guests/*.s ${_root}/guests/*.inc
     ${_root}/guests/*.expected ${_root}/scenarios/*.json ${_root}/labs/*.md
     ${_root}/labs/*.s ${_root}/labs/*.json)
set(_bundle_rel)
foreach(_f IN LISTS _bundle_abs)
  file(RELATIVE_PATH _r ${_root} ${_f})
  list(APPEND _bundle_rel ${_r})
endforeach()
set(_bundle_list ${CMAKE_CURRENT_BINARY_DIR}/bundle_list.cmake)
file(CONFIGURE OUTPUT ${_bundle_list} CONTENT "set(FILES \"@_bundle_rel@\")\n" @ONLY)
set(_make_deps ${_bundle_abs} ${_bundle_list} ${CMAKE_CURRENT_SOURCE_DIR}/bundle/make_bundle.cmake)
trapeze_layer(bundle DEPS session experiments)
if(EMSCRIPTEN)
  # The browser build: one data file beside trapeze.wasm (bundle/file_blob.h), which
  # the page fetches in parallel with it; wasm/CMakeLists.txt copies it into the
  # site from the target's TRAPEZE_BUNDLE_BLOB_FILE property.
  set(_blob ${CMAKE_CURRENT_BINARY_DIR}/trapeze-files.txt)
  add_custom_command(OUTPUT ${_blob}
    COMMAND ${CMAKE_COMMAND} -DROOT=${_root} -DLIST=${_bundle_list} -DOUTPUT=${_blob} -DBLOB=1
            -P ${CMAKE_CURRENT_SOURCE_DIR}/bundle/make_bundle.cmake
    DEPENDS ${_make_deps} VERBATIM)
  add_custom_target(trapeze_bundle_blob DEPENDS ${_blob})
  target_compile_definitions(trapeze_bundle PRIVATE TRAPEZE_BUNDLE_BLOB="/trapeze-files.txt")
  set_target_properties(trapeze_bundle PROPERTIES TRAPEZE_BUNDLE_BLOB_FILE ${_blob})
else()
  set(_bundle_cpp ${CMAKE_CURRENT_BINARY_DIR}/bundled_files_data.cpp)
  add_custom_command(OUTPUT ${_bundle_cpp}
    COMMAND ${CMAKE_COMMAND} -DROOT=${_root} -DLIST=${_bundle_list} -DOUTPUT=${_bundle_cpp}
            -P ${CMAKE_CURRENT_SOURCE_DIR}/bundle/make_bundle.cmake
    DEPENDS ${_make_deps} VERBATIM)
  target_sources(trapeze_bundle PRIVATE ${_bundle_cpp})
endif()
