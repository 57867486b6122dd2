#!/usr/bin/env bash
#
# Builds the release `tern` with its hot functions laid out next to each other, and prints the
# binary's path (.build/ordered/release/tern).
#
# Every function, Tern's and its dependencies', is compiled into a section of its own (Swift's
# `-function-sections`, C's `-ffunction-sections`), and the linker puts the sections listed in
# scripts/hot-functions.txt first, in that order. What serving runs then sits in about a megabyte
# instead of being spread over the binary's twenty, and the kernel, which maps 64 KiB of a file
# around every page fault, keeps a few hundred KiB of code resident instead of megabytes (measured
# in docs/benchmarks.md). Names missing from the list (code changed since it was made) are laid
# out as usual: a stale list costs memory, never correctness. scripts/profile-hot-functions.sh makes
# the list again.
#
#   scripts/build-release.sh                  ordered by scripts/hot-functions.txt
#   TERN_ORDER_FILE=none scripts/build-release.sh   function sections, default order (for profiling)
#
# The build has its own folder (.build/ordered): flags that differ from `swift build -c release`
# would otherwise rebuild everything each time one or the other runs. The first build compiles every
# dependency (minutes); changing the list only links again.

set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ORDER="${TERN_ORDER_FILE:-scripts/hot-functions.txt}"
flags=(-c release --product tern --scratch-path .build/ordered
    -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections)
if [[ "$ORDER" != none ]]; then
    [[ -f "$ORDER" ]] || {
        echo "no order file at $ORDER" >&2
        exit 1
    }
    flags+=(-Xlinker "--section-ordering-file=$PWD/$ORDER")
    # The build does not know the list's contents: link again, so that a new list always takes effect.
    rm -f .build/ordered/release/tern
fi
swift build "${flags[@]}" >&2
echo "$PWD/.build/ordered/release/tern"
