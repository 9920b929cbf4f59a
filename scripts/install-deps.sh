#!/usr/bin/env bash
# Installs what Strata's build, tests and benchmarks need, and nothing that is already there.
# Debian packages come from apt-get; the npm test packages from the lock file in
# tests/interop/. Safe to run any number of times.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  # build
  cmake ninja-build g++ clang clang-format libclang-rt-14-dev pkg-config make
  # libraries
  libzstd-dev liblz4-dev libsnappy-dev zlib1g-dev libxxhash-dev libcli11-dev
  nlohmann-json3-dev libgtest-dev libgmock-dev
  # object storage: S3 over HTTP(S), requests signed by libcurl (CURLOPT_AWS_SIGV4); the AWS
  # CLI (v2) is the interop tests' and the object-storage benchmark's peer
  libcurl4-openssl-dev awscli
  # peers for tests and benchmarks
  redis-server redis-tools rocksdb-tools nodejs npm
  # the HTML report's browser test (tests/interop/report_in_chromium.mjs) drives this one
  chromium
  # tools (time and bc: the RDB benchmark script measures and computes with them; python3,
  # standard library only: the layering check, the transcripts (tests/transcripts/run.py) and
  # the closing summary of make test (scripts/ctest_summary.py))
  hyperfine valgrind time bc python3
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# npm may come with Node.js from elsewhere; only ask apt for it when there is no npm at all.
if command -v npm >/dev/null 2>&1; then
  missing=("${missing[@]/npm/}")
  missing=("${missing[@]/nodejs/}")
fi
read -r -a missing <<<"${missing[*]}"

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# Pinned npm packages for the interop tests (DuckDB reads our Parquet; playwright-core drives
# the chromium package above and downloads no browser of its own). Reinstall only when the
# lock file changed since the last install.
interop=tests/interop
stamp="$interop/node_modules/.strata-lock-stamp"
if [ ! -f "$stamp" ] || ! cmp -s "$interop/package-lock.json" "$stamp"; then
  echo "install-deps: npm install (locked) in $interop"
  # Not `npm ci`: npm 11 leaves other platforms' optional packages out of the lock file and
  # then refuses it in `npm ci`. With exact versions in package.json and the lock present,
  # `npm install` installs exactly the locked tree.
  (cd "$interop" && npm install --no-audit --no-fund --loglevel=error)
  cp "$interop/package-lock.json" "$stamp"
fi
# moto (an S3 server in Python) is the object-storage tests' server. It comes with the machine
# image, not from Debian (Debian 12 packages no moto; conditional writes need moto 5); the S3
# tests skip, saying why, when it is missing.
if ! command -v moto_server >/dev/null 2>&1; then
  echo "install-deps: WARNING: moto_server not found on PATH: the S3 tests will be skipped." \
    "Install it with: pip install 'moto[server]>=5'" >&2
fi
echo "install-deps: all dependencies present"
