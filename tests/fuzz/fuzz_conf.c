/*
 * fuzz_conf.c - the YAML configuration loader on arbitrary bytes: a
 * refused file must say why; an accepted one must pass conf_check() and
 * expand every sweep combination into a configuration that passes it too.
 */
#include <string.h>

#include "conf/conf.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pg_config cfg, run;
	struct pg_error err;
	size_t i, n;

	if (size > FUZZ_INPUT_MAX)
		return 0;
	pg_error_clear(&err);
	if (conf_load_string("fuzz.yaml", (const char *)data, size, &cfg,
		&err) < 0) {
		FUZZ_ASSERT(err.msg[0] != '\0');
		return 0;
	}
	FUZZ_ASSERT(conf_check(&cfg, &err) == 0);
	n = conf_sweep_combinations(&cfg);
	FUZZ_ASSERT(n >= 1 && n <= CONF_SWEEP_COMBINATIONS_MAX);
	for (i = 0; i < n; i++) {
		FUZZ_ASSERT(conf_apply_sweep(&cfg, i, &run) == 0);
		FUZZ_ASSERT(run.nsweep == 0);
		FUZZ_ASSERT(conf_check(&run, &err) == 0);
	}
	return 0;
}
