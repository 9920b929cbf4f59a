# The module graph, declared once and proved twice.
#
# strata_module(<name> SOURCES ... [DEPS ...] [PRIVATE_DEPS ...] [PUBLIC_HEADERS ...])
#
#   Declares the static library strata_<name> (alias strata::<name>) for the folder that
#   calls it. DEPS and PRIVATE_DEPS name other modules (strata::<m>) and outside libraries;
#   the strata:: ones are the module's place in the graph. PUBLIC_HEADERS names the headers of
#   include/strata/ the module implements (status.h, db.h, ...).
#
# strata_program(<target> [SOURCES ...] DEPS ...)
#
#   Records the modules an executable outside the module folders may use (the CLI, each fuzz
#   target). The caller creates the target; this only declares its edges and links them.
#
# The build enforces the graph: a module's headers are reachable as "<name>/header.h" only
# through an include root that holds that module alone (plus the public headers it
# implements as "strata/<header>.h"), and a target sees the roots of exactly the modules it
# links, directly or through them. An include against the graph fails to compile.
#
# The layering test (tests/build/) checks it again from the source text: every #include in
# src/, bench/, fuzz/ and tools/ against the closure of the declared edges, read from
# ${CMAKE_BINARY_DIR}/module_graph.txt, which strata_write_module_graph() writes once every
# module is declared.

function(_strata_module_edges out)
  set(edges "")
  foreach(dep IN LISTS ARGN)
    if(dep MATCHES "^strata::(.+)$")
      list(APPEND edges ${CMAKE_MATCH_1})
    endif()
  endforeach()
  set(${out} ${edges} PARENT_SCOPE)
endfunction()

function(_strata_record kind name dir edges headers)
  file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR} ${dir})
  set_property(GLOBAL APPEND PROPERTY STRATA_GRAPH_UNITS ${name})
  set_property(GLOBAL PROPERTY STRATA_GRAPH_${name}_KIND ${kind})
  set_property(GLOBAL PROPERTY STRATA_GRAPH_${name}_DIR ${rel})
  set_property(GLOBAL PROPERTY STRATA_GRAPH_${name}_EDGES "${edges}")
  set_property(GLOBAL PROPERTY STRATA_GRAPH_${name}_HEADERS "${headers}")
endfunction()

function(strata_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS;PRIVATE_DEPS;PUBLIC_HEADERS" ${ARGN})
  set(target strata_${name})
  add_library(${target} STATIC ${M_SOURCES})
  add_library(strata::${name} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name})

  set(root ${CMAKE_BINARY_DIR}/include_roots/${name})
  file(REMOVE_RECURSE ${root})
  file(MAKE_DIRECTORY ${root})
  file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR} ${root}/${name} SYMBOLIC)
  foreach(header IN LISTS M_PUBLIC_HEADERS)
    set(public ${PROJECT_SOURCE_DIR}/include/strata/${header})
    if(NOT EXISTS ${public})
      message(FATAL_ERROR "strata_module(${name}): no public header include/strata/${header}")
    endif()
    file(MAKE_DIRECTORY ${root}/strata)
    file(CREATE_LINK ${public} ${root}/strata/${header} SYMBOLIC)
  endforeach()
  target_include_directories(${target}
    PUBLIC $<BUILD_INTERFACE:${root}> $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_link_libraries(${target} PUBLIC ${M_DEPS} PRIVATE ${M_PRIVATE_DEPS})
  target_compile_options(${target} PRIVATE ${STRATA_WARNINGS})

  _strata_module_edges(edges ${M_DEPS} ${M_PRIVATE_DEPS})
  _strata_record(module ${name} ${CMAKE_CURRENT_SOURCE_DIR} "${edges}" "${M_PUBLIC_HEADERS}")
endfunction()

function(strata_program target)
  cmake_parse_arguments(P "" "" "SOURCES;DEPS" ${ARGN})
  target_link_libraries(${target} PRIVATE ${P_DEPS})
  target_compile_options(${target} PRIVATE ${STRATA_WARNINGS})
  _strata_module_edges(edges ${P_DEPS})
  # A program owns the sources it names (fuzz targets share a folder), else its whole folder.
  set(files "")
  foreach(source IN LISTS P_SOURCES)
    file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/${source})
    list(APPEND files ${rel})
  endforeach()
  _strata_record(program ${target} ${CMAKE_CURRENT_SOURCE_DIR} "${edges}" "")
  set_property(GLOBAL PROPERTY STRATA_GRAPH_${target}_FILES "${files}")
endfunction()

# The modules `name` reaches through its edges, itself excluded, in no particular order.
function(strata_module_closure name out)
  set(seen "")
  get_property(pending GLOBAL PROPERTY STRATA_GRAPH_${name}_EDGES)
  while(pending)
    list(POP_FRONT pending m)
    if(NOT m IN_LIST seen)
      list(APPEND seen ${m})
      get_property(more GLOBAL PROPERTY STRATA_GRAPH_${m}_EDGES)
      list(APPEND pending ${more})
    endif()
  endwhile()
  set(${out} ${seen} PARENT_SCOPE)
endfunction()

# One line per module or program:
#   <kind> <name> dir=<folder> edges=<m>,<m> headers=<h>,<h> files=<f>,<f>
function(strata_write_module_graph)
  get_property(units GLOBAL PROPERTY STRATA_GRAPH_UNITS)
  set(text "")
  foreach(unit IN LISTS units)
    foreach(field KIND DIR EDGES HEADERS FILES)
      get_property(${field} GLOBAL PROPERTY STRATA_GRAPH_${unit}_${field})
      string(REPLACE ";" "," ${field} "${${field}}")
    endforeach()
    string(APPEND text
           "${KIND} ${unit} dir=${DIR} edges=${EDGES} headers=${HEADERS} files=${FILES}\n")
  endforeach()
  file(WRITE ${CMAKE_BINARY_DIR}/module_graph.txt "${text}")
endfunction()
