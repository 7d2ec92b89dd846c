#!/bin/sh
# Write the systematic bad traces of tests/trace/bad/ (the sys-* and
# trunc-* files): every field of every text op out of range or malformed,
# and a binary trace with every record type cut at every byte boundary,
# plain and inside zstd.  Run from the source root with a built pgreplay,
# then regenerate the goldens and review them:
#
#	sh tests/robust/make_bad_traces.sh build/src/cli/pgreplay
#	PGREPLAY_REGEN_GOLDEN=1 meson test -C build trace-golden
#	git diff tests/trace/bad/
#
# A candidate the reader accepts is reported and not kept.
set -eu
P=${1:-build/src/cli/pgreplay}
D=tests/trace/bad
H='pgtrace 1'
PM="$H
0 proc 1 a
0 map 1 1 anon 16"
L256=$(printf '%0256d' 0)

keep() {	# keep NAME: the file $D/NAME must be refused with exit 2
	if "$P" info "$D/$1" >/dev/null 2>&1 || [ $? -ne 2 ]; then
		echo "accepted, not kept: $1"
		rm -f "$D/$1"
	fi
}
text() {	# text NAME BODY: a text trace
	printf '%s\n' "$2" > "$D/sys-$1.pgt"
	keep "sys-$1.pgt"
}

# The header.
text header-version-2 "pgtrace 2"
text header-version-0 "pgtrace 0"
text header-no-version "pgtrace"
text header-extra-word "pgtrace 1 extra"
text header-uppercase "PGTRACE 1"
text header-after-event "0 proc 1 a
$H"

# Times.
text time-negative "$H
-1 proc 1 a"
text time-exponent "$H
1e3 proc 1 a"
text time-hex "$H
0x10 proc 1 a"
text time-empty-fraction "$H
1. proc 1 a"
text time-two-dots "$H
1.2.3 proc 1 a"
text time-leading-dot "$H
.5 proc 1 a"
text time-letters "$H
soon proc 1 a"

# Every op with a field missing and with one too many.
text proc-missing-name "$H
0 proc 1"
text exit-missing-pid "$PM
1 exit"
text exit-extra-field "$PM
1 exit 1 2"
text map-missing-type "$H
0 proc 1 a
0 map 1 1"
text unmap-missing-obj "$PM
1 unmap 1"
text unmap-extra-field "$PM
1 unmap 1 1 2"
for op in fault dirty free wire unwire; do
	text $op-missing-pindex "$PM
1 $op 1 1"
	text $op-extra-field "$PM
1 $op 1 1 0 1 9"
	text $op-count-zero "$PM
1 $op 1 1 0 0"
	text $op-past-end "$PM
1 $op 1 1 15 2"
	text $op-pindex-huge "$PM
1 $op 1 1 4294967296 1"
	text $op-count-huge "$PM
1 $op 1 1 0 4294967297"
	text $op-negative "$PM
1 $op 1 1 -1 1"
	text $op-unmapped "$PM
1 $op 1 2 0 1"
done
text swapon-missing-pages "$H
0 swapon"
text swapon-zero "$H
0 swapon 0"
text swapon-huge "$H
0 swapon 4294967297"
text swapon-extra-field "$H
0 swapon 16 16"
text swapoff-missing-pages "$H
0 swapoff"
text mark-missing-text "$H
0 mark"

# Numbers out of range.
text pid-negative "$H
0 proc -1 a"
text pid-letters "$H
0 proc one a"
text obj-overflow "$H
0 proc 1 a
0 map 1 18446744073709551616 anon 16"
text map-pages-zero "$H
0 proc 1 a
0 map 1 1 anon 0"
text map-pages-huge "$H
0 proc 1 a
0 map 1 1 anon 4294967297"
text map-type-unknown "$H
0 proc 1 a
0 map 1 1 shm 16"

# Strings over TRACE_NAME_MAX (255 bytes).
text proc-name-too-long "$H
0 proc 1 $L256"
text map-path-too-long "$H
0 proc 1 a
0 map 1 1 file 16 /$L256"
text mark-too-long "$H
0 mark $L256"

# Binary: a trace with every record type, cut after every byte.
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cat > "$T/all.pgt" <<'TRACE'
pgtrace 1
0 proc 7 p
0 swapon 64
0 map 7 3 file 32 /f
0.001 fault 7 3 0 4
0.002 dirty 7 3 20 1
0.002 mark m
1 unmap 7 3
1 swapoff 64
2 exit 7
TRACE
"$P" convert "$T/all.pgt" "$T/all.pgb"
"$P" convert "$T/all.pgt" "$T/all.pgb.zst"
n=$(wc -c < "$T/all.pgb")
i=1
while [ "$i" -lt "$n" ]; do
	name=$(printf 'trunc-bin-%03d.pgb' "$i")
	head -c "$i" "$T/all.pgb" > "$D/$name"
	keep "$name"
	i=$((i + 1))
done
n=$(wc -c < "$T/all.pgb.zst")
for i in 4 8 12 $((n / 2)) $((n - 4)) $((n - 1)); do
	name=$(printf 'trunc-zst-%03d.pgb.zst' "$i")
	head -c "$i" "$T/all.pgb.zst" > "$D/$name"
	keep "$name"
done
