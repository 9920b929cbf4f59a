# Installs the embeddable engine as a library other projects use: the public headers
# (include/strata/), the engine's module libraries, a CMake package
# (find_package(strata) -> strata::strata) and a pkg-config file (strata.pc).
#
# strata::strata is the engine and nothing else: db and the modules it reaches (wal,
# memtable, sst, merge, codec, base). Parquet, the RDB tools and every later service module have
# their own targets in the build and are not pulled into a program that embeds the engine.
include(CMakePackageConfigHelpers)

strata_module_closure(db engine_deps)
set(engine_targets strata_db)
foreach(m IN LISTS engine_deps)
  list(APPEND engine_targets strata_${m})
endforeach()

add_library(strata_all INTERFACE)
add_library(strata::strata ALIAS strata_all)
set_target_properties(strata_all PROPERTIES EXPORT_NAME strata)
target_link_libraries(strata_all INTERFACE strata_db)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/strata DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS strata_all ${engine_targets}
        EXPORT strataTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(EXPORT strataTargets NAMESPACE strata:: FILE strataTargets.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/strata)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/strataConfig.cmake.in
  ${CMAKE_BINARY_DIR}/strataConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/strata)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/strataConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/strataConfig.cmake ${CMAKE_BINARY_DIR}/strataConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/strata)

# pkg-config: static archives, so the link line names every engine library, each before the
# ones it uses (db first, base last), then what they link. No -lz: zlib serves only codec's
# gzip, which the engine never calls, so its object stays in the archive.
set(STRATA_PC_LIBS "")
foreach(m db wal memtable sst merge codec base)
  if(NOT m STREQUAL "db" AND NOT m IN_LIST engine_deps)
    message(FATAL_ERROR "strata.pc names ${m}, which the engine no longer links")
  endif()
  string(APPEND STRATA_PC_LIBS " -lstrata_${m}")
endforeach()
list(LENGTH engine_deps n_deps)
if(NOT n_deps EQUAL 6)
  message(FATAL_ERROR "the engine links ${engine_deps}: update strata.pc's link order")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/strata.pc.in ${CMAKE_BINARY_DIR}/strata.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/strata.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
