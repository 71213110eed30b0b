# Every dependency comes from Debian (scripts/setup.sh installs them) except cppjieba,
# which setup.sh extracts from the nodejieba npm tarball into third_party/ (never committed).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(CURL REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(simdjson REQUIRED)
find_package(pugixml REQUIRED)
find_package(CLI11 REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(GTest REQUIRED)
find_package(benchmark REQUIRED)
pkg_check_modules(OPENCC REQUIRED IMPORTED_TARGET opencc)
pkg_check_modules(HYPERSCAN REQUIRED IMPORTED_TARGET libhs)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(FASTTEXT REQUIRED IMPORTED_TARGET fasttext)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(GUMBO REQUIRED IMPORTED_TARGET gumbo)  # HTML: feed descriptions, pages without feeds
pkg_check_modules(GMIME REQUIRED IMPORTED_TARGET gmime-3.0)  # e-mail (sources --kind imap)
pkg_check_modules(MARIADB REQUIRED IMPORTED_TARGET libmariadb)
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)  # the PostgreSQL store (store/postgres)

set(CPPJIEBA_DIR "${CMAKE_SOURCE_DIR}/third_party/cppjieba" CACHE PATH "cppjieba source (from nodejieba@3.5.8)")
if(NOT EXISTS "${CPPJIEBA_DIR}/include/cppjieba/Jieba.hpp")
  message(FATAL_ERROR "cppjieba not found in ${CPPJIEBA_DIR}: run scripts/setup.sh first")
endif()
add_library(cppjieba INTERFACE)
target_include_directories(cppjieba SYSTEM INTERFACE
  "${CPPJIEBA_DIR}/include" "${CPPJIEBA_DIR}/deps/limonp/include")

# darts (Debian `darts`): Taku Kudo's header-only double-array trie, the dictionary index of the
# segmenter (text/dict_index.h). One lookup walks a flat array instead of cppjieba's per-node hash maps.
find_path(DARTS_INCLUDE_DIR darts.h REQUIRED)
add_library(darts INTERFACE)
target_include_directories(darts SYSTEM INTERFACE "${DARTS_INCLUDE_DIR}")

# jemalloc (Debian libjemalloc-dev) as the yuqing binary's allocator: SQLite's FTS5 index, the
# segmenter and the JSON layers allocate small blocks per token and per post, and glibc's malloc
# cost about 9% of ingest; jemalloc makes `yuqing replay` 7-10% faster per core (docs/performance.md).
# Off under the sanitizers, which bring their own allocator.
option(YUQING_JEMALLOC "Link the yuqing binary with jemalloc" ON)
if(YUQING_JEMALLOC AND NOT YUQING_SANITIZE)
  pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
endif()
