"""benchlib - what bench/run and bench/compare share: running a child
command the way a benchmark must, and failing with one message."""
import os
import subprocess
import sys
import time

# The children run without the invariant checks (PGREPLAY_CHECK, which the
# test suite sets): the benchmarks measure the replay, not the checker.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PGREPLAY_CHECK"}


def die(prog, msg):
    """Print "prog: msg" on stderr and exit 2."""
    print("%s: %s" % (prog, msg), file=sys.stderr)
    sys.exit(2)


def run_child(prog, argv, stdout=subprocess.DEVNULL, ok=(0,)):
    """Run argv; return (wall s, cpu s, peak RSS bytes).  An exit status
    not in ok is fatal: prog dies with the end of the child's stderr."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.PIPE,
                            env=CHILD_ENV)
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if code not in ok:
        die(prog, "%s: exit %d: %s" % (" ".join(argv), code,
                                       err.strip()[-400:]))
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss * 1024
