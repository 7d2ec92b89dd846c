/*
 * fuzz_replay.c - replay itself: a fuzzed small trace, read with the
 * validator, fed to a tiny machine with the invariant checks on after
 * every step, then finished into a report.
 *
 * The first byte picks the machine (bit 0: two domains, bit 1: no swap,
 * bit 2: vm.panic_on_oom, bit 3: a slow swap device); the rest is the
 * trace, in any format.  -EFAULT from the simulator (an invariant
 * violated) is a finding; any other refusal must come with a message.
 *
 * Simulated time is bounded so that a run costs milliseconds, not
 * because long traces are wrong: events after FUZZ_REPLAY_TIME_MAX and
 * past FUZZ_REPLAY_EVENTS_MAX are not fed, and the drain is a quarter second.
 */
#include <errno.h>
#include <string.h>

#include "conf/conf.h"
#include "fuzz.h"
#include "report/report.h"
#include "sim/sim.h"
#include "trace/reader.h"

#define FUZZ_REPLAY_TIME_MAX (UINT64_C(500000000))
#define FUZZ_REPLAY_EVENTS_MAX 1024

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace_reader_opts o = { .no_validate = false };
	struct sim_options so = { .check_invariants = true };
	struct trace_reader *r = NULL;
	struct report_run run;
	struct trace_event ev;
	struct pg_config cfg;
	struct pg_error err;
	struct sim *s = NULL;
	unsigned n = 0;
	uint8_t mode;
	int rc;

	if (size < 1 || size > FUZZ_INPUT_MAX)
		return 0;
	mode = data[0];
	conf_defaults(&cfg);
	cfg.domains = (mode & 1) ? 2 : 1;
	cfg.memory_bytes = (uint64_t)cfg.domains * (4u << 20);
	cfg.swap_bytes = (mode & 2) ? 0 : 8u << 20;
	cfg.kernel_wired_bytes = 512u << 10;
	cfg.sysctl.panic_on_oom = (mode & 4) ? 1 : 0;
	if (mode & 8)
		cfg.swap_dev.bandwidth_bps = 1u << 20;
	cfg.drain_ns = UINT64_C(250000000);
	pg_error_clear(&err);
	FUZZ_ASSERT(conf_check(&cfg, &err) == 0);
	FUZZ_ASSERT(sim_create(&cfg, &so, &s, &err) == 0);

	if (trace_reader_open_mem(data + 1, size - 1, "fuzz", &o, &r,
		&err) < 0) {
		FUZZ_ASSERT(err.msg[0] != '\0');
		goto out;
	}
	while (n < FUZZ_REPLAY_EVENTS_MAX &&
	    (rc = trace_reader_next(r, &ev, &err)) == 1) {
		if (ev.time_ns > FUZZ_REPLAY_TIME_MAX)
			break;
		rc = sim_feed(s, &ev, &err);
		FUZZ_ASSERT(rc != -EFAULT);
		if (rc < 0) {
			FUZZ_ASSERT(err.msg[0] != '\0');
			goto out;
		}
		n++;
	}
	memset(&run, 0, sizeof(run));
	rc = sim_finish(s, &run, &err);
	FUZZ_ASSERT(rc != -EFAULT);
	if (rc == 0)
		report_run_finish(&run);
	else
		FUZZ_ASSERT(err.msg[0] != '\0');
out:
	trace_reader_close(r);
	sim_destroy(s);
	return 0;
}
