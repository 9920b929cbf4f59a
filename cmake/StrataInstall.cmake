# Installs Strata as a library other projects embed: public headers, the module libraries,
# a CMake package (find_package(strata) -> strata::strata) and a pkg-config file.
include(CMakePackageConfigHelpers)

get_property(strata_modules GLOBAL PROPERTY STRATA_MODULES)

# One target to link: everything the public API needs.
add_library(strata_all INTERFACE)
add_library(strata::strata ALIAS strata_all)
set_target_properties(strata_all PROPERTIES EXPORT_NAME strata)
target_link_libraries(strata_all INTERFACE ${strata_modules})

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/strata DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS strata_all ${strata_modules}
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

# pkg-config: static archives, so the link line names every module (highest layer first)
# and the libraries they use.
set(STRATA_PC_LIBS "")
list(REVERSE strata_modules)
foreach(m IN LISTS strata_modules)
  string(APPEND STRATA_PC_LIBS " -l${m}")
endforeach()
configure_file(${PROJECT_SOURCE_DIR}/cmake/strata.pc.in ${CMAKE_BINARY_DIR}/strata.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/strata.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
