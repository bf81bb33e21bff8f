# trapeze_bundle: the files the program needs at run time, compiled in (see
# bundle/bundled_files.h): guest kernels and their includes, their golden
# outputs, the preset scenarios and the labs (labs/*.md, their .s and .json). Generated at build time by make_bundle.cmake,
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
set(_bundle_cpp ${CMAKE_CURRENT_BINARY_DIR}/bundled_files_data.cpp)
add_custom_command(OUTPUT ${_bundle_cpp}
  COMMAND ${CMAKE_COMMAND} -DROOT=${_root} -DLIST=${_bundle_list} -DOUTPUT=${_bundle_cpp}
          -P ${CMAKE_CURRENT_SOURCE_DIR}/bundle/make_bundle.cmake
  DEPENDS ${_bundle_abs} ${_bundle_list} ${CMAKE_CURRENT_SOURCE_DIR}/bundle/make_bundle.cmake VERBATIM)

trapeze_layer(bundle DEPS session experiments)
target_sources(trapeze_bundle PRIVATE ${_bundle_cpp})
