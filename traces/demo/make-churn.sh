#!/bin/sh
# make-churn.sh - regenerate the demo trace, traces/demo/churn.pgb.zst, and
# its readable text twin churn.pgt, with the generator (docs/gen.md):
#
#   traces/demo/make-churn.sh [PGREPLAY [OUTDIR]]
#
# PGREPLAY is the pgreplay executable (default: build/src/cli/pgreplay, or
# $PGREPLAY); OUTDIR where the traces go (default: beside this script).  The trace is deterministic: running this again gives the
# same bytes.
#
# A database keeps a 96 MiB buffer pool hot and dirty (it re-reads half of
# it and re-dirties a rotating eighth every second), a backup job streams a
# 1 GiB file through the page cache at 64 MiB/s from t = 2 s, and a leaky
# process grows by 16 MiB a second from t = 5 s until it holds 192 MiB: on
# the 256 MiB machines of configs/demo/ the page daemon must recycle file
# pages, launder the buffer pool and the leak to swap, and, when swap runs
# short, pick an OOM victim.
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$dir/../.." && pwd)
bin=${1:-${PGREPLAY:-$top/build/src/cli/pgreplay}}
out=${2:-$dir}

gen() {
	"$bin" gen db-backup-leak \
	    --pool 96MiB --hot 50% --dirty 12.5% --period 1s \
	    --backup 1GiB --backup-rate 64MiB/s --backup-chunk 16MiB \
	    --backup-start 2s \
	    --leak 192MiB --leak-rate 16MiB/s --leak-chunk 4MiB \
	    --leak-start 5s \
	    --duration 30s "$1"
}
gen "$out/churn.pgb.zst"
gen "$out/churn.pgt"
