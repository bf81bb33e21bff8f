# Included by wasm/CMakeLists.txt for the browser build: the documents the site's
# docs page shows (web/docs.html), copied into site/docs/ whenever one changes.
# Each entry: NAME-IN-SITE=PATH-IN-REPOSITORY.
set(_trapeze_site_docs
  isa.md=docs/isa.md machine.md=docs/machine.md vmm.md=docs/vmm.md guests.md=guests/README.md
  js-api.md=docs/js-api.md web.md=docs/web.md)
set(_trapeze_site_doc_outputs)
foreach(_entry IN LISTS _trapeze_site_docs)
  string(REPLACE "=" ";" _pair ${_entry})
  list(GET _pair 0 _name)
  list(GET _pair 1 _source)
  add_custom_command(OUTPUT ${TRAPEZE_SITE_DIR}/docs/${_name}
                     COMMAND ${CMAKE_COMMAND} -E copy_if_different ${PROJECT_SOURCE_DIR}/${_source}
                             ${TRAPEZE_SITE_DIR}/docs/${_name}
                     DEPENDS ${PROJECT_SOURCE_DIR}/${_source} VERBATIM)
  list(APPEND _trapeze_site_doc_outputs ${TRAPEZE_SITE_DIR}/docs/${_name})
endforeach()
add_custom_target(trapeze_site_docs ALL DEPENDS ${_trapeze_site_doc_outputs})
add_dependencies(trapeze_site trapeze_site_docs)
