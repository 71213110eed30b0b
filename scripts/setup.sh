#!/usr/bin/env bash
# Installs everything yuqing needs on Debian 12 and builds it into build/.
# Idempotent: a second run only rebuilds what changed.
#   scripts/setup.sh            install + Release build
#   BUILD_TYPE=Debug scripts/setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake pkg-config ccache git ca-certificates curl python3
  libsqlite3-dev libopencc-dev opencc libhyperscan-dev libfasttext-dev fasttext
  libcpp-httplib-dev libcurl4-openssl-dev nlohmann-json3-dev libsimdjson-dev
  darts libpugixml-dev libcli11-dev libspdlog-dev libfmt-dev libsodium-dev libyaml-cpp-dev
  libjemalloc-dev libgtest-dev libgmock-dev libbenchmark-dev libgumbo-dev libgmime-3.0-dev dovecot-imapd
  libmariadb-dev libzip-dev mariadb-server libxlsxwriter-dev
  libpq-dev postgresql
  ripgrep python3-jieba chromium fonts-wqy-microhei wrk
  libmstch-dev libboost-dev libxlsxwriter-dev pandoc poppler-utils
)

# Node.js and npm: Debian's packages only when the machine has none (a newer Node.js installed
# another way conflicts with Debian's npm).
command -v node >/dev/null 2>&1 || APT_PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || APT_PACKAGES+=(npm)

need=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "==> installing Debian packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# cppjieba and its dictionaries come from the nodejieba npm tarball; never committed.
if [ ! -f third_party/cppjieba/include/cppjieba/Jieba.hpp ]; then
  echo "==> fetching cppjieba (nodejieba@3.5.8 from the npm registry)"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent nodejieba@3.5.8 >/dev/null && tar xzf nodejieba-3.5.8.tgz)
  mkdir -p third_party
  rm -rf third_party/cppjieba
  cp -r "$tmp/package/submodules/cppjieba" third_party/cppjieba
  rm -rf "$tmp"
fi

# Front-end and browser-test packages (ECharts, playwright-core) from npm.
if [ -f web/package.json ] && [ ! -d web/node_modules ]; then
  echo "==> npm ci (web/)"
  (cd web && npm ci --silent --no-audit --no-fund)
fi

BUILD_TYPE=${BUILD_TYPE:-Release}
BUILD_DIR=${BUILD_DIR:-build}
echo "==> building ($BUILD_TYPE) into $BUILD_DIR/"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" "${launcher[@]}" ${CMAKE_EXTRA:-} >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
echo "==> built $BUILD_DIR/yuqing"
