#!/bin/sh
# make-churn.sh - writes the demo trace churn.pgt on standard output.
# Regenerate the shipped files with:
#   traces/demo/make-churn.sh > traces/demo/churn.pgt
#   build/src/cli/pgreplay convert traces/demo/churn.pgt traces/demo/churn.pgb.zst
#
# A database keeps a 96 MiB buffer pool hot and dirty, a backup job streams
# a 1 GiB file through the page cache, and a leaky process grows by 16 MiB a
# second until it holds 192 MiB: on a 256 MiB machine the page daemon must
# recycle file pages, launder the buffer pool and the leak to swap, and,
# when swap runs short, pick an OOM victim.
awk 'BEGIN {
	print "pgtrace 1"
	print "# demo: database + streaming backup + leak (traces/demo/make-churn.sh)"
	print "0 proc 100 postgres"
	print "0 map 100 1 anon 24576"
	print "0.001 dirty 100 1 0 24576"
	print "1 proc 200 backup"
	print "1 map 200 2 file 262144 /backup/base.tar"
	print "2 proc 300 leaky"
	print "2 map 300 3 anon 49152"
	filepos = 0; leak = 0
	for (t = 2000; t <= 30000; t += 250) {
		s = sprintf("%d.%03d", t / 1000, t % 1000)
		# the database re-reads its hot half and dirties a rotating eighth
		if (t % 1000 == 0) {
			printf "%s fault 100 1 0 12288\n", s
			printf "%s dirty 100 1 %d 3072\n", s, ((t / 1000) % 8) * 3072
		}
		# the backup reads 16 MiB every 250 ms
		if (filepos < 262144) {
			printf "%s fault 200 2 %d 4096\n", s, filepos
			filepos += 4096
		}
		# the leak grows by 4 MiB every 250 ms from t = 5 s
		if (t >= 5000 && leak < 49152) {
			printf "%s dirty 300 3 %d 1024\n", s, leak
			leak += 1024
		}
	}
	print "30 exit 200"
	print "31 exit 300"
	print "32 exit 100"
}'
