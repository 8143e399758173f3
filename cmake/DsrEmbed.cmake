# dsr_embed_files(<output.cc> <namespace-function> <base-dir> <files...>)
# Generates a source file that defines
#   const std::vector<std::pair<std::string_view, std::string_view>>& <function>();
# mapping each file's path relative to <base-dir> to its text, so binaries carry
# their schemas and templates and need no installed data files.
function(dsr_embed_files output function base_dir)
  set(files ${ARGN})
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${output} -DFUNCTION=${function} -DBASE_DIR=${base_dir}
            "-DFILES=${files}" -P ${PROJECT_SOURCE_DIR}/cmake/DsrEmbedScript.cmake
    DEPENDS ${files} ${PROJECT_SOURCE_DIR}/cmake/DsrEmbedScript.cmake
    COMMENT "Embedding ${function}"
    VERBATIM)
endfunction()

# dsr_embed_bytes(<output.cc> <namespace-function> <base-dir> <files...>)
# The same for files that need not be text (images, fonts): each file becomes
# a byte array, so any content is kept byte for byte.
function(dsr_embed_bytes output function base_dir)
  set(files ${ARGN})
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${output} -DFUNCTION=${function} -DBASE_DIR=${base_dir}
            "-DFILES=${files}" -P ${PROJECT_SOURCE_DIR}/cmake/DsrEmbedBytesScript.cmake
    DEPENDS ${files} ${PROJECT_SOURCE_DIR}/cmake/DsrEmbedBytesScript.cmake
    COMMENT "Embedding ${function}"
    VERBATIM)
endfunction()
