/*
 * test_params_cli.c - `pgreplay params` end to end, through the built
 * executable (PGREPLAY_BIN).  Skipped while the executable does not exist
 * (it links every module, some of which may be unfinished).
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define OUT_MAX 65536

/* Run the command; its standard output goes to out, the exit status back. */
static int
run(const char *cmd, char *out, size_t n)
{
	FILE *p = popen(cmd, "r");
	size_t len = 0, got;
	int st;

	cr_assert_not_null(p, "popen %s", cmd);
	while (len + 1 < n && (got = fread(out + len, 1, n - 1 - len, p)) > 0)
		len += got;
	out[len] = '\0';
	st = pclose(p);
	return (WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

static const char *
bin_or_skip(void)
{
	const char *bin = getenv("PGREPLAY_BIN");

	if (bin == NULL || access(bin, X_OK) != 0)
		cr_skip_test("pgreplay executable not built");
	return (bin);
}

Test(params_cli, json_thresholds)
{
	const char *bin = bin_or_skip(), *root = getenv("PGREPLAY_SOURCE_ROOT");
	char cmd[2048], *out = malloc(OUT_MAX);

	cr_assert_not_null(out);
	snprintf(cmd, sizeof(cmd), "'%s' params --config "
	    "'%s/configs/small-vm.yaml' --format json", bin, root);
	cr_assert_eq(run(cmd, out, OUT_MAX), 0);
	cr_assert(strstr(out, "\"free_target\": 5643") != NULL, "%s", out);
	cr_assert(strstr(out, "\"free_min\": 1716") != NULL);
	cr_assert(strstr(out, "\"pageout_wakeup_thresh\": 5076") != NULL);
	cr_assert(strstr(out, "\"free_count_init\": 249856") != NULL);
	cr_assert(strstr(out, "\"kern.hz\": 100") != NULL);
	free(out);
}

Test(params_cli, bad_config_one_line_exit_2)
{
	const char *bin = bin_or_skip(), *root = getenv("PGREPLAY_SOURCE_ROOT");
	char cmd[2048], *out = malloc(OUT_MAX);

	cr_assert_not_null(out);
	snprintf(cmd, sizeof(cmd), "cd '%s/tests/conf' && '%s' params "
	    "--config bad/duplicate-key.yaml 2>&1", root, bin);
	cr_assert_eq(run(cmd, out, OUT_MAX), 2);
	cr_assert_str_eq(out, "pgreplay: bad/duplicate-key.yaml:4: duplicate "
	    "key 'sysctl.kern.hz' (first set at line 2)\n");
	snprintf(cmd, sizeof(cmd), "'%s' params --format xml 2>/dev/null", bin);
	cr_assert_eq(run(cmd, out, OUT_MAX), 2);
	free(out);
}

/* The model variants, in the text and the JSON of `pgreplay params`. */
Test(params_cli, model_variants)
{
	const char *bin = bin_or_skip(), *root = getenv("PGREPLAY_SOURCE_ROOT");
	char cmd[2048], *out = malloc(OUT_MAX);

	cr_assert_not_null(out);
	snprintf(cmd, sizeof(cmd), "'%s' params --config "
	    "'%s/configs/scenarios/idle-hog-all.yaml'", bin, root);
	cr_assert_eq(run(cmd, out, OUT_MAX), 0);
	cr_assert(strstr(out, "model.variants") != NULL, "%s", out);
	cr_assert(strstr(out, "pidctrl-2018-06+active-target+"
	    "oom-instant-shortage") != NULL, "%s", out);
	snprintf(cmd, sizeof(cmd), "'%s' params --config "
	    "'%s/configs/scenarios/idle-hog-active-target.yaml' --format json",
	    bin, root);
	cr_assert_eq(run(cmd, out, OUT_MAX), 0);
	cr_assert(strstr(out, "\"variants\": [\n      \"active-target\"\n"
	    "    ]") != NULL, "%s", out);
	snprintf(cmd, sizeof(cmd), "'%s' params --config "
	    "'%s/configs/scenarios/idle-hog.yaml'", bin, root);
	cr_assert_eq(run(cmd, out, OUT_MAX), 0);
	cr_assert(strstr(out, "model.variants                       none\n") !=
	    NULL, "%s", out);
	free(out);
}
