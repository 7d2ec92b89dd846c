#!/bin/sh
# linux.sh - record a command on Linux and write a pgreplay trace.
#
#   traces/record/linux.sh [-o OUT] [-k DIR] [--no-strace] [--no-tracepoints] COMMAND [ARGS...]
#
# Runs COMMAND under `perf record` (every page fault with its data address,
# the x86 fault tracepoints for the write flag, perf's task and mmap records)
# and `strace -f` (munmap, mremap, brk, madvise, forks, execs and exits),
# then `pgreplay import perf` joins them into OUT (default trace.pgb.zst;
# the name chooses the format, as for `pgreplay convert`).  -k DIR keeps the
# raw recordings (perf.data, perf.txt, strace.txt, clock.txt) in DIR.
# docs/recording.md explains the requirements and the limits.
#
# Exit status: 0 done, 2 a requirement is missing or a step failed (the
# message says which), else COMMAND's own failure is reported and the trace
# is still written.
set -u

out=trace.pgb.zst
keep=
use_strace=1
use_tp=1
while [ $# -gt 0 ]; do
	case $1 in
	-o) out=$2; shift 2 ;;
	-k) keep=$2; shift 2 ;;
	--no-strace) use_strace=0; shift ;;
	--no-tracepoints) use_tp=0; shift ;;
	-h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	--) shift; break ;;
	-*) echo "linux.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
	*) break ;;
	esac
done
if [ $# -eq 0 ]; then
	echo "linux.sh: expected a COMMAND to record (try --help)" >&2
	exit 2
fi

die() {
	echo "linux.sh: $*" >&2
	exit 2
}

# --- requirements ---------------------------------------------------------
here=$(cd "$(dirname "$0")" && pwd)
pgreplay=${PGREPLAY:-}
if [ -z "$pgreplay" ]; then
	for c in "$here/../../build/src/cli/pgreplay" "$(command -v pgreplay 2>/dev/null)"; do
		if [ -n "$c" ] && [ -x "$c" ]; then pgreplay=$c; break; fi
	done
fi
if [ -z "$pgreplay" ] || [ ! -x "$pgreplay" ]; then
	die "pgreplay not found: build it (meson setup build && ninja -C build) or set PGREPLAY=/path/to/pgreplay"
fi
command -v perf >/dev/null 2>&1 ||
	die "perf not found: install it (Debian: apt-get install linux-perf)"
if [ $use_strace -eq 1 ]; then
	command -v strace >/dev/null 2>&1 ||
		die "strace not found: install it (apt-get install strace), or record without frees: --no-strace"
fi
paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null || echo unknown)
if [ "$(id -u)" -ne 0 ]; then
	case $paranoid in
	-1) ;;
	*) die "kernel.perf_event_paranoid is $paranoid: as a normal user the tracepoints need -1 (sysctl -w kernel.perf_event_paranoid=-1, as root), or run this as root" ;;
	esac
fi
if [ $use_tp -eq 1 ]; then
	tracefs=
	for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
		if [ -d "$d/events/exceptions/page_fault_user" ]; then tracefs=$d; break; fi
	done
	if [ -z "$tracefs" ]; then
		if [ -d /sys/kernel/tracing ] && [ ! -e /sys/kernel/tracing/events ]; then
			die "tracefs is not mounted, so perf cannot see exceptions:page_fault_user (the write flag): mount -t tracefs nodev /sys/kernel/tracing (as root), or record without write flags: --no-tracepoints"
		fi
		die "no exceptions:page_fault_user tracepoint (x86 only; needs tracefs): record without write flags with --no-tracepoints"
	fi
fi

# --- recording ------------------------------------------------------------
if [ -n "$keep" ]; then
	mkdir -p "$keep" || die "cannot create $keep"
	dir=$keep
else
	dir=$(mktemp -d "${TMPDIR:-/tmp}/pgreplay-rec.XXXXXX") || die "mktemp failed"
	trap 'rm -rf "$dir"' EXIT
fi
clk='import time; r=time.clock_gettime_ns(time.CLOCK_REALTIME); m=time.clock_gettime_ns(time.CLOCK_MONOTONIC); print("realtime_ns",r,"monotonic_ns",m,"realtime_minus_monotonic_ns",r-m)'
if command -v python3 >/dev/null 2>&1; then
	python3 -c "$clk" > "$dir/clock.txt"
else
	: > "$dir/clock.txt"
fi

events="-e page-faults"
[ $use_tp -eq 1 ] && events="$events -e exceptions:page_fault_user -e exceptions:page_fault_kernel"

if [ $use_strace -eq 1 ]; then
	# --seccomp-bpf stops the tracee only at the traced calls (strace 5.3+).
	sopts="-f -y -e trace=%memory,%process -o $dir/strace.txt"
	if strace --seccomp-bpf -f -o /dev/null true 2>/dev/null; then
		sopts="--seccomp-bpf $sopts"
	fi
	if strace --timestamps=unix,ns -o /dev/null true 2>/dev/null; then
		sopts="--timestamps=unix,ns $sopts"
	else
		sopts="-ttt $sopts"
	fi
	# shellcheck disable=SC2086
	perf record -q -k CLOCK_MONOTONIC -c 1 -d -m 16M -N $events \
		-o "$dir/perf.data" -- strace $sopts -- "$@"
	rc=$?
else
	# shellcheck disable=SC2086
	perf record -q -k CLOCK_MONOTONIC -c 1 -d -m 16M -N $events \
		-o "$dir/perf.data" -- "$@"
	rc=$?
fi
[ -s "$dir/perf.data" ] || die "perf record wrote nothing (status $rc)"
[ $rc -eq 0 ] || echo "linux.sh: the command exited with status $rc; importing what was recorded" >&2

fields="-F sw:comm,pid,tid,time,event,addr,ip"
[ $use_tp -eq 1 ] && fields="$fields -F trace:comm,pid,tid,time,event,trace"
# shellcheck disable=SC2086
perf script -i "$dir/perf.data" --ns --show-task-events --show-mmap-events \
	--show-lost-events $fields \
	> "$dir/perf.txt" 2> "$dir/perf-script.stderr" ||
	die "perf script failed: see $dir/perf-script.stderr (keep it with -k DIR)"

set -- perf "$dir/perf.txt"
if [ $use_strace -eq 1 ]; then
	set -- "$@" --strace "$dir/strace.txt"
	if [ -s "$dir/clock.txt" ]; then set -- "$@" --clock "$dir/clock.txt"; fi
fi
"$pgreplay" import "$@" "$out" || die "pgreplay import failed (keep the recordings with -k DIR)"
echo "linux.sh: wrote $out" >&2
