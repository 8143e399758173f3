# Warnings and sanitizers for every dsr target, applied through dsr_target_defaults().
add_library(dsr_compile_options INTERFACE)
target_compile_options(dsr_compile_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                                                     -Wnon-virtual-dtor -Wold-style-cast)
if(DSR_WERROR)
  target_compile_options(dsr_compile_options INTERFACE -Werror)
endif()

if(DSR_SANITIZE STREQUAL "address")
  # vptr checks need the typeinfo of every polymorphic class they meet, which
  # Debian's SOCI does not export; everything else of UBSan stays on.
  target_compile_options(dsr_compile_options INTERFACE -fsanitize=address,undefined
                                                       -fno-sanitize=vptr -fno-omit-frame-pointer)
  target_link_options(dsr_compile_options INTERFACE -fsanitize=address,undefined
                                                    -fno-sanitize=vptr)
elseif(DSR_SANITIZE STREQUAL "thread")
  target_compile_options(dsr_compile_options INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(dsr_compile_options INTERFACE -fsanitize=thread)
elseif(NOT DSR_SANITIZE STREQUAL "")
  message(FATAL_ERROR "DSR_SANITIZE must be 'address', 'thread' or empty, not '${DSR_SANITIZE}'")
endif()

if(DSR_BUILD_FUZZ)
  # Coverage for libFuzzer in every library; the fuzz targets add the
  # fuzzer's main (fuzz/CMakeLists.txt). Any UB aborts, so it is kept as a crash.
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "DSR_BUILD_FUZZ needs clang (CMAKE_CXX_COMPILER=clang++)")
  endif()
  if(NOT DSR_SANITIZE STREQUAL "")
    message(FATAL_ERROR "DSR_BUILD_FUZZ brings its own sanitizers; leave DSR_SANITIZE empty")
  endif()
  target_compile_options(dsr_compile_options INTERFACE
                         -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=vptr
                         -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(dsr_compile_options INTERFACE -fsanitize=address,undefined
                      -fno-sanitize=vptr)
endif()

# Every target of the project includes from the repository root: #include "common/status.h".
function(dsr_target_defaults target)
  target_link_libraries(${target} PRIVATE dsr_compile_options)
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
endfunction()
