#!/bin/sh
# make.sh - regenerate the generated traces of the corpus with pgreplay gen
# (docs/gen.md).  Each trace is a few hundred KiB at most; traces/README.md
# says what each exercises, traces/corpus.list which configs replay it.
#
#   traces/generated-corpus/make.sh [PGREPLAY [OUTDIR]]
#
# PGREPLAY is the pgreplay executable (default: build/src/cli/pgreplay, or
# $PGREPLAY); OUTDIR where the traces go (default: beside this script; the
# corpus test writes them elsewhere to check that they equal the committed
# ones).  Generation is deterministic: the same bytes every time, on
# every machine.  After regenerating, refresh the baselines on purpose:
# scripts/refresh-baselines.
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$dir/../.." && pwd)
bin=${1:-${PGREPLAY:-$top/build/src/cli/pgreplay}}
out=${2:-$dir}

g() {
	name=$1
	shift
	"$bin" gen "$@" "$out/$name"
}

# Two hogs of 192 MiB each, started 1 s apart, then touching their memory
# at random for 3 s: swap on the 256 MiB machines, OOM without swap.
g anon-hog.pgb.zst anon-hog --size 192MiB --procs 2 --chunk 1MiB \
    --rate 128MiB/s --start-gap 1s --hold 3s --touch-rate 1000 --write 50%
# The same on the default 4 GiB machine: two hogs of 2304 MiB, 4.5 GiB in
# all, 16 MiB per event; swap takes the excess.
g anon-hog-4g.pgb.zst anon-hog --size 2304MiB --procs 2 --chunk 16MiB \
    --rate 1GiB/s --start-gap 1s --hold 2s --touch-rate 500 --write 50%
# One reader streams a 384 MiB file twice at 256 MiB/s, 256 KiB per read.
g file-stream.pgb.zst file-stream --size 384MiB --chunk 256KiB \
    --rate 256MiB/s --passes 2
# A 320 MiB buffer pool shared by 4 workers, Zipf 0.99, 30% writes: more
# than the 240 MiB the 256 MiB machines leave free.
g dirty-churn.pgb.zst dirty-churn --size 320MiB --procs 4 --duration 10s \
    --rate 3000 --skew 0.99 --write 30% --chunk 8KiB
# 200 workers over 4 s, 400 ms each (about 20 alive at once), sharing a
# 32 MiB program file.
g fork-server.pgb.zst fork-server --procs 200 --duration 4s --text 32MiB \
    --touch 25% --anon 2MiB --lifetime 400ms --chunk 256KiB \
    --parent-anon 32MiB
# 4 workers of 64 MiB each and two shared 128 MiB files, a 25% hot set.
g mixed.pgb.zst mixed --procs 4 --anon 64MiB --files 2 --file-size 128MiB \
    --duration 15s --rate 4000 --hot 25% --hot-share 90% --write 20% \
    --file-write 5% --free 0.5% --chunk 32KiB
