# Third-party libraries, all from Debian 12 packages (deploy/setup.sh installs them).
find_package(Threads REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(Poco REQUIRED COMPONENTS Foundation Net NetSSL Util Zip Crypto JSON)
find_package(yaml-cpp REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(ZMQ REQUIRED IMPORTED_TARGET libzmq)
# libsodium: authenticated encryption of personal data at rest (secretstream,
# AEAD), Argon2id password hashing and random tokens, all behind one small API.
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)

find_path(CPPZMQ_INCLUDE_DIR zmq.hpp REQUIRED)
find_path(VALIJSON_INCLUDE_DIR valijson/validator.hpp REQUIRED)
add_library(dsr_zmq INTERFACE)
target_include_directories(dsr_zmq INTERFACE ${CPPZMQ_INCLUDE_DIR})
target_link_libraries(dsr_zmq INTERFACE PkgConfig::ZMQ)

# SOCI 4.0 ships no CMake config; backends are loaded by name at run time.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
find_library(SOCI_CORE_LIBRARY soci_core REQUIRED)
find_path(BOOST_INCLUDE_DIR boost/version.hpp REQUIRED)
add_library(dsr_soci INTERFACE)
target_include_directories(dsr_soci INTERFACE ${SOCI_INCLUDE_DIR} ${BOOST_INCLUDE_DIR})
target_link_libraries(dsr_soci INTERFACE ${SOCI_CORE_LIBRARY} ${CMAKE_DL_LIBS})

find_path(DOCTEST_INCLUDE_DIR doctest/doctest.h)
