#!/usr/bin/env bash
# Installs what the build, the tests and the benchmarks need beyond the .NET 10 SDK, on Debian or Ubuntu (apt-get).
# Run it as `make deps`; CI (.ci/run) runs it too. Installs only what is missing, so a second run does nothing.
#
#   gcc, libc6-dev   the C-ABI tests compile C against the native vtable; NativeAOT links the C library with gcc
#   make             the C interface's build targets (make all / test / example / native)
#   binutils         nm, which lists the NativeAOT library's exports in the tests
#   zlib1g-dev       zlib: the zlib adapter's tests load libz.so.1 (the headers serve NativeAOT builds that link
#                    the system zlib)
#   libmimalloc2.0   the mimalloc baselines of the benchmarks (without it they are skipped, with a note)
#
# Exit status: 0 when everything is present afterwards, 1 when something is still missing.
set -uo pipefail

packages=(gcc libc6-dev make binutils zlib1g-dev libmimalloc2.0)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
for package in "${packages[@]}"; do
  installed "$package" || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "prerequisites: all present (${packages[*]})"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "prerequisites missing: ${missing[*]}; this script uses apt-get (Debian/Ubuntu): install them with your package manager" >&2
  exit 1
fi

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "installing: ${missing[*]}"
if ! { "${sudo[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}"; } >/dev/null; then
  echo "could not install: ${missing[*]}" >&2
  exit 1
fi
echo "prerequisites: installed ${missing[*]}"
