# strata_module(<name> SOURCES ... [DEPS ...] [PRIVATE_DEPS ...])
#
# Declares the static library strata_<name> for src/<name>/. Its headers are reachable as
# "<name>/header.h" only through an include root that holds this module alone, so a module
# sees the headers of exactly the modules it links: an include in the wrong direction of the
# layering fails to compile.
function(strata_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  set(target strata_${name})
  add_library(${target} STATIC ${M_SOURCES})
  add_library(strata::${name} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name})

  set(root ${CMAKE_BINARY_DIR}/include_roots/${name})
  file(MAKE_DIRECTORY ${root})
  file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR} ${root}/${name} SYMBOLIC)
  target_include_directories(${target}
    PUBLIC $<BUILD_INTERFACE:${root}>
           $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
           $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_link_libraries(${target} PUBLIC ${M_DEPS} PRIVATE ${M_PRIVATE_DEPS})
  target_compile_options(${target} PRIVATE ${STRATA_WARNINGS})
  set_property(GLOBAL APPEND PROPERTY STRATA_MODULES ${target})
endfunction()
