# Included by wasm/CMakeLists.txt for the browser build: the UI font embedded in
# the site, cut down to the characters the app rasterizes (the kRanges list in
# wasm/appearance.cpp, read from there so the two cannot disagree). ImGui draws
# glyph outlines without hinting or layout tables, so the cut font draws the same
# pixels at a seventh of the size. Needs pyftsubset (Debian package fonttools);
# without it the whole font is embedded.
# In: TRAPEZE_UI_FONT. Out: TRAPEZE_UI_FONT_EMBEDDED (the file to embed).
set(TRAPEZE_UI_FONT_EMBEDDED ${TRAPEZE_UI_FONT})
find_program(TRAPEZE_PYFTSUBSET pyftsubset)
if(NOT TRAPEZE_PYFTSUBSET)
  message(STATUS "pyftsubset not found (Debian package fonttools): embedding the whole UI font")
  return()
endif()
set(_appearance ${CMAKE_CURRENT_SOURCE_DIR}/appearance.cpp)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_appearance})
file(STRINGS ${_appearance} _line REGEX "kRanges\\[\\] = {")
string(REGEX MATCH "{([0-9xXa-fA-F, ]+)}" _m "${_line}")
string(REGEX MATCHALL "0x[0-9a-fA-F]+" _bounds "${CMAKE_MATCH_1}")
list(LENGTH _bounds _n)
math(EXPR _odd "${_n} % 2")
if(_n EQUAL 0 OR _odd)
  message(FATAL_ERROR "wasm/ui_font.cmake: no kRanges list of pairs found in ${_appearance}")
endif()
set(_unicodes)
math(EXPR _last "${_n} - 1")
foreach(_i RANGE 0 ${_last} 2)
  math(EXPR _j "${_i} + 1")
  list(GET _bounds ${_i} _lo)
  list(GET _bounds ${_j} _hi)
  string(SUBSTRING ${_lo} 2 -1 _lo)
  string(SUBSTRING ${_hi} 2 -1 _hi)
  list(APPEND _unicodes "U+${_lo}-${_hi}")
endforeach()
list(JOIN _unicodes "," _unicodes)
set(TRAPEZE_UI_FONT_EMBEDDED ${CMAKE_CURRENT_BINARY_DIR}/ui-font.ttf)
# --name-IDs='*': the copyright and licence notices stay in the font.
add_custom_command(OUTPUT ${TRAPEZE_UI_FONT_EMBEDDED}
  COMMAND ${TRAPEZE_PYFTSUBSET} ${TRAPEZE_UI_FONT} --unicodes=${_unicodes} --no-hinting
          --layout-features= --name-IDs=* --name-languages=* --drop-tables+=FFTM
          --output-file=${TRAPEZE_UI_FONT_EMBEDDED}
  DEPENDS ${TRAPEZE_UI_FONT} ${_appearance} VERBATIM)
add_custom_target(trapeze_ui_font DEPENDS ${TRAPEZE_UI_FONT_EMBEDDED})
