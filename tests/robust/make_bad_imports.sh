#!/bin/sh
# make_bad_imports.sh - write the generated rejected recordings of
# tests/import/bad/ (KIND-gen-*.txt), one malformed case per file for each
# importer, then regenerate and review their goldens:
#
#   sh tests/robust/make_bad_imports.sh
#   PGREPLAY_REGEN_GOLDEN=1 meson test -C build import-bad
#   git diff tests/import/bad
#
# The hand-written cases (KIND-NAME.txt without "gen-") are left alone.
set -eu
dir=$(dirname "$0")/../import/bad
cd "$dir"
rm -f ./*-gen-*.txt ./*-gen-*.txt.err

# put NAME LINE... - a file of the given lines
put() {
	name=$1
	shift
	printf '%s\n' "$@" > "$name.txt"
}

# --- perf script text ---
P='time 100/100  1.000000000:'
MM="$P PERF_RECORD_MMAP2 100/100: [0x400000(0x1000) @ 0 fe:00 12 0]: r-xp /bin/prog"
put perf-gen-empty-event "time 100/100  1.000000000:"
put perf-gen-no-colon "time 100/100 1.000000000 page-faults"
put perf-gen-bad-event "$P bogus event"
put perf-gen-mmap2-no-pid "$P PERF_RECORD_MMAP2 [0x400000(0x1000) @ 0 fe:00 12 0]: r-xp /bin/prog"
put perf-gen-mmap2-no-bracket "$P PERF_RECORD_MMAP2 100/100: 0x400000(0x1000) @ 0 fe:00 12 0: r-xp /bin/prog"
put perf-gen-mmap2-bad-len "$P PERF_RECORD_MMAP2 100/100: [0x400000(0xzz) @ 0 fe:00 12 0]: r-xp /bin/prog"
put perf-gen-mmap2-no-prot "$P PERF_RECORD_MMAP2 100/100: [0x400000(0x1000) @ 0 fe:00 12 0]:"
put perf-gen-mmap-no-at "$P PERF_RECORD_MMAP 100/100: [0x400000(0x1000)]: x /bin/prog"
put perf-gen-exit-bad "$P PERF_RECORD_EXIT(100)"
put perf-gen-fork-no-parent "$P PERF_RECORD_FORK(101:101)"
put perf-gen-comm-no-pid "$P PERF_RECORD_COMM: prog"
put perf-gen-sample-bad-hex "$MM" "$P page-faults: zz4000 (/bin/prog)"
put perf-gen-tp-no-address "$P exceptions:page_fault_user: ip=0x400000 error_code=0x6"
put perf-gen-tp-bad-code "$P exceptions:page_fault_user: address=0x400000 ip=0x400000 error_code=0xq"
put perf-gen-file-beyond "$P PERF_RECORD_MMAP2 100/100: [0x400000(0x2000) @ 0xffffffffff000 fe:00 12 0]: r--p /bin/prog" \
    "$P page-faults: 400000 (/bin/prog)"
put perf-gen-pid-overflow "time 99999999999/1  1.000000000: page-faults: 400000 (/bin/prog)"
put perf-gen-bad-time "time 100/100  1.0x0000000: page-faults: 400000 (/bin/prog)"
printf 'time 100/100  1.000000000: page-faults: 400000\000 (/bin/prog)\n' \
    > perf-gen-nul-byte.txt
awk 'BEGIN { s = "time 100/100  1.000000000: page-faults: "; \
    while (length(s) < 70000) s = s "0"; print s }' > perf-gen-line-too-long.txt
printf '%s\n' "$MM" | zstd -q -c | head -c 20 > perf-gen-zstd-truncated.txt
{ printf '\050\265\057\375'; printf 'not a frame at all, just bytes\n'; } \
    > perf-gen-zstd-corrupt.txt

# --- strace -f logs ---
S='100 1.000000000'
put strace-gen-no-call "$S"
put strace-gen-no-paren "$S mmap = 0x7f0000000000"
put strace-gen-no-result "$S munmap(0x7f0000000000, 4096)"
put strace-gen-bad-first "abc 1.000000000 brk(NULL) = 0x1000000"
put strace-gen-bad-pid-prefix "[pid abc] 1.000000000 brk(NULL) = 0x1000000"
put strace-gen-pid-prefix-unclosed "[pid 100 1.000000000 brk(NULL) = 0x1000000"
put strace-gen-bad-tt-time "100 25:61:99.5 brk(NULL) = 0x1000000"
put strace-gen-mmap-bad-number "$S mmap(NULL, lots, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000"
put strace-gen-munmap-one-arg "$S munmap(0x7f0000000000) = 0"
put strace-gen-mremap-short "$S mremap(0x7f0000000000, 4096) = 0x7f0000000000"
put strace-gen-brk-two-args "$S brk(NULL, 1) = 0x1000000"
put strace-gen-madvise-short "$S madvise(0x7f0000000000, 4096) = 0"
put strace-gen-resumed-garbled "$S munmap(0x7f0000000000, 4096 <unfinished ...>" \
    "100 1.000000100 <... munmap resumed) = 0"
put strace-gen-file-beyond "$S mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, 3</lib/x.so>, 0xffffffffff000000) = 0x7f0000000000"
printf '100 1.000000000 brk(NULL) = 0x1000\000000\n' > strace-gen-nul-byte.txt
awk 'BEGIN { s = "100 1.000000000 brk("; \
    while (length(s) < 70000) s = s "0"; print s ") = 0" }' > strace-gen-line-too-long.txt
printf '%s\n' "$S brk(NULL) = 0x1000000" | zstd -q -c | head -c 16 > strace-gen-zstd-truncated.txt

# --- valgrind lackey logs ---
put lackey-gen-size-zero "I  0401ab70,0"
put lackey-gen-size-huge " L 1fff000618,2000000"
put lackey-gen-no-comma " S 1fff000618"
put lackey-gen-bad-kind " X 1fff000618,8"
put lackey-gen-syscall-no-arrow "SYSCALL[19761,1](12) sys_brk ( 0x0 ) Success(0x4035000)"
put lackey-gen-syscall-bad-result "SYSCALL[19761,1](12) sys_brk ( 0x0 ) --> Maybe(0x4035000)"
put lackey-gen-mmap-short "SYSCALL[19761,1](9) sys_mmap ( 0x0, 8192, 3 ) --> Success(0x4035000)"
put lackey-gen-async-bad "SYSCALL[19761,1](0) sys_read ( 4, 0x1ffeffecc8, 832 ) --> [async] ..." \
    "SYSCALL[19761,1](0) ... [async] --> Perhaps(0x340)"
printf 'I  0401ab70,3\000\n' > lackey-gen-nul-byte.txt
printf 'I  0401ab70,3\n' | zstd -q -c | head -c 12 > lackey-gen-zstd-truncated.txt

# --- traces/record/freebsd.d output ---
H='pgreplay-dtrace 1'
put dtrace-gen-empty ""
put dtrace-gen-header-version "pgreplay-dtrace 2"
put dtrace-gen-one-field "$H" "1000"
put dtrace-gen-negative-time "$H" "-5 exec 501 sh"
put dtrace-gen-exec-no-name "$H" "1000 exec 501"
put dtrace-gen-fork-bad-child "$H" "1000 exec 501 sh" "1001 fork 501 zz"
put dtrace-gen-exit-extra "$H" "1000 exec 501 sh" "1001 exit 501 0 0"
put dtrace-gen-pid-overflow "$H" "1000 exec 4294967296 sh"
put dtrace-gen-image-short "$H" "1000 exec 501 sh" "1001 image 501 0x200000 65536"
put dtrace-gen-mmap-bad-prot "$H" "1000 exec 501 sh" "1001 mmap 501 0x800200000 4096 rw 4098 -1 0 -"
put dtrace-gen-madvise-short "$H" "1000 exec 501 sh" "1001 madvise 501 0x800200000 4096"
put dtrace-gen-brk-bad "$H" "1000 exec 501 sh" "1001 brk 501 top"
put dtrace-gen-fault-no-type "$H" "1000 exec 501 sh" "1001 fault 501 0x200123"
put dtrace-gen-fault-bad-addr "$H" "1000 exec 501 sh" "1001 fault 501 0xg00123 r"
put dtrace-gen-file-beyond "$H" "1000 exec 501 sh" \
    "1001 mmap 501 0x800400000 8192 1 1 3 0xffffffffff000000 /var/db/app.db"
printf '%s\n1000 exec 501 s\000h\n' "$H" > dtrace-gen-nul-byte.txt
