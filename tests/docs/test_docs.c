/*
 * test_docs.c - the documentation tells the truth (issue 12, point 5).
 *
 * Every command shown in README.md, docs/NAME.md and docs/pgreplay.1 is run
 * as a user would type it from the top of the source tree, and must exit
 * with the status the documentation gives it: 0, or the N of a trailing
 * "# exit N" comment.  A command is a line of a Markdown code block
 * (fenced, or indented four spaces after a blank line), or a "$ " line of
 * a man page .Bd -literal block, whose first word is `pgreplay` or a path
 * to it under build*, or which pipes into `pgreplay`.  A leading "$ " is
 * a prompt; a trailing backslash continues the command.  A command that
 * needs what CI lacks (root, perf, the network) carries "# skip: REASON"
 * and is only listed.  A synopsis (a metavariable such as TRACE or FILE,
 * or an [optional] part) is not run: `pgreplay SUBCOMMAND --help` must
 * succeed and name each long option of it.
 *
 * Commands run with /bin/sh in a scratch directory holding symbolic links
 * to the source tree's top-level entries, so that the files they name are
 * the shipped ones and the files they write are thrown away; `pgreplay`
 * on PATH and build/src/cli/pgreplay are $PGREPLAY_BIN.  The commands of
 * one file run in order, in one directory (a later example may read what
 * an earlier one wrote).
 *
 * Also: the ranges in configs/default.yaml's comments and the key table of
 * docs/configuration.md are those of the loader (conf_key_desc()).
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf/conf.h"

#define LINE_MAX_LEN 4096
#define CMD_MAX_LEN 8192

struct doc_cmd {
	char file[256];
	unsigned line;
	char text[CMD_MAX_LEN];	/* without prompt or comment */
	int want;		/* exit status */
	char skip[256];		/* reason, or "" */
	bool synopsis;
};

struct doc_cmds {
	struct doc_cmd *v;
	size_t n, cap;
};

static const char *
src_root(void)
{
	const char *root = getenv("PGREPLAY_SOURCE_ROOT");

	cr_assert_not_null(root, "PGREPLAY_SOURCE_ROOT is not set");
	return root;
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	cr_assert_geq(n, 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* is_metavar() - TRACE, FILE, IN, N, [--format: a synopsis word. */
static bool
is_metavar(const char *w, size_t len)
{
	size_t i, letters = 0;

	if (w[0] == '[' || (len >= 3 && strncmp(w, "...", 3) == 0))
		return true;
	if (w[0] == '-')
		return false;
	for (i = 0; i < len; i++) {
		if (isupper((unsigned char)w[i]))
			letters++;
		else if (strchr("|.,]", w[i]) == NULL)
			return false;
	}
	return letters > 0;
}

/* is_command() - the line runs pgreplay (see the top of the file). */
static bool
is_command(const char *s)
{
	const char *end = s + strcspn(s, " \t");
	size_t len = (size_t)(end - s);

	if (len == 8 && strncmp(s, "pgreplay", 8) == 0)
		return true;
	if (len > 9 && strncmp(s, "build", 5) == 0 &&
	    strncmp(end - 9, "/pgreplay", 9) == 0)
		return true;
	return strstr(s, "| pgreplay ") != NULL;
}

/*
 * add_cmd() - record text (a whole command, continuations joined) found
 * at file:line: split off its trailing comment, read the annotations.
 */
static void
add_cmd(struct doc_cmds *c, const char *file, unsigned line, const char *text)
{
	struct doc_cmd *d;
	const char *hash, *p, *w;
	size_t len;

	if (!is_command(text))
		return;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->v = realloc(c->v, c->cap * sizeof(*c->v));
		cr_assert_not_null(c->v);
	}
	d = &c->v[c->n++];
	memset(d, 0, sizeof(*d));
	snprintf(d->file, sizeof(d->file), "%s", file);
	d->line = line;
	hash = strstr(text, " #");
	len = hash != NULL ? (size_t)(hash - text) : strlen(text);
	while (len > 0 && isspace((unsigned char)text[len - 1]))
		len--;
	cr_assert_lt(len, sizeof(d->text));
	memcpy(d->text, text, len);
	d->text[len] = '\0';
	if (hash != NULL) {
		p = hash + 2;
		while (*p == ' ')
			p++;
		if (strncmp(p, "exit ", 5) == 0 && isdigit((unsigned char)p[5]))
			d->want = atoi(p + 5);
		else if (strncmp(p, "skip:", 5) == 0)
			snprintf(d->skip, sizeof(d->skip), "%s", p + 5);
	}
	for (w = d->text; *w != '\0';) {
		len = strcspn(w, " \t");
		if (len > 0 && is_metavar(w, len))
			d->synopsis = true;
		w += len;
		w += strspn(w, " \t");
	}
}

/*
 * collect() - feed the code lines of a document one at a time, joining
 * continuations; line is the number of the command's first line.
 */
struct joiner {
	char buf[CMD_MAX_LEN];
	size_t len;
	unsigned first;
};

static void
join_line(struct joiner *j, struct doc_cmds *c, const char *file,
    unsigned line, const char *s)
{
	size_t n = strlen(s);
	bool more = n > 0 && s[n - 1] == '\\';

	if (j->len == 0) {
		j->first = line;
		if (strncmp(s, "$ ", 2) == 0) {
			s += 2;
			n -= 2;
		}
	} else {
		while (*s == ' ' || *s == '\t') {
			s++;
			n--;
		}
	}
	if (more)
		n--;
	cr_assert_lt(j->len + n + 2, sizeof(j->buf), "%s:%u: too long", file,
	    line);
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
	if (more)
		return;
	add_cmd(c, file, j->first, j->buf);
	j->len = 0;
}

static void
trim_right(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' ||
	    s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
}

/* md_commands() - the commands of a Markdown file's code blocks. */
static void
md_commands(const char *path, const char *name, struct doc_cmds *c)
{
	char *text = slurp(path), *p, *nl, line[LINE_MAX_LEN];
	struct joiner j = { .len = 0 };
	bool fence = false, indented = false, prev_blank = true;
	unsigned no = 0;

	for (p = text; *p != '\0'; p = nl != NULL ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		snprintf(line, sizeof(line), "%.*s",
		    (int)(nl != NULL ? nl - p : (long)strlen(p)), p);
		trim_right(line);
		no++;
		if (strncmp(line, "```", 3) == 0) {
			fence = !fence;
			j.len = 0;
			prev_blank = false;
			continue;
		}
		if (fence) {
			join_line(&j, c, name, no, line);
			continue;
		}
		if (strncmp(line, "    ", 4) == 0 && (indented || prev_blank)) {
			indented = true;
			join_line(&j, c, name, no, line + 4);
			continue;
		}
		if (line[0] != '\0')
			indented = false;
		prev_blank = line[0] == '\0';
		j.len = 0;
	}
	free(text);
}

/* roff_unescape() - \e, \- and \& of a man page line, in place. */
static void
roff_unescape(char *s)
{
	char *o = s;

	for (; *s != '\0'; s++) {
		if (s[0] == '\\' && s[1] == 'e') {
			*o++ = '\\';
			s++;
		} else if (s[0] == '\\' && s[1] == '-') {
			*o++ = '-';
			s++;
		} else if (s[0] == '\\' && s[1] == '&') {
			s++;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

/* man_commands() - the "$ " lines of the .Bd -literal blocks. */
static void
man_commands(const char *path, const char *name, struct doc_cmds *c)
{
	char *text = slurp(path), *p, *nl, line[LINE_MAX_LEN];
	struct joiner j = { .len = 0 };
	bool literal = false;
	unsigned no = 0;

	for (p = text; *p != '\0'; p = nl != NULL ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		snprintf(line, sizeof(line), "%.*s",
		    (int)(nl != NULL ? nl - p : (long)strlen(p)), p);
		trim_right(line);
		no++;
		if (strncmp(line, ".Bd -literal", 12) == 0) {
			literal = true;
			continue;
		}
		if (strncmp(line, ".Ed", 3) == 0) {
			literal = false;
			j.len = 0;
			continue;
		}
		if (!literal || (j.len == 0 && strncmp(line, "$ ", 2) != 0))
			continue;
		roff_unescape(line);
		join_line(&j, c, name, no, line);
	}
	free(text);
}

/* scratch() - a directory linking the source tree, with pgreplay on PATH. */
static char *
scratch(void)
{
	char tmpl[] = "/tmp/pgreplay-docs-XXXXXX", link[1200], target[1200];
	const char *bin = getenv("PGREPLAY_BIN"), *root = src_root();
	struct dirent *de;
	char *dir;
	DIR *d;

	cr_assert_not_null(bin, "PGREPLAY_BIN is not set");
	cr_assert_not_null(mkdtemp(tmpl));
	dir = strdup(tmpl);
	cr_assert_not_null(dir);
	d = opendir(root);
	cr_assert_not_null(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' ||
		    strncmp(de->d_name, "build", 5) == 0)
			continue;
		snprintf(link, sizeof(link), "%s/%s", dir, de->d_name);
		snprintf(target, sizeof(target), "%s/%s", root, de->d_name);
		cr_assert_eq(symlink(target, link), 0, "%s", strerror(errno));
	}
	closedir(d);
	snprintf(link, sizeof(link), "%s/bin", dir);
	cr_assert_eq(mkdir(link, 0755), 0);
	snprintf(link, sizeof(link), "%s/bin/pgreplay", dir);
	cr_assert_eq(symlink(bin, link), 0);
	snprintf(link, sizeof(link), "%s/build", dir);
	cr_assert_eq(mkdir(link, 0755), 0);
	snprintf(link, sizeof(link), "%s/build/src", dir);
	cr_assert_eq(mkdir(link, 0755), 0);
	snprintf(link, sizeof(link), "%s/build/src/cli", dir);
	cr_assert_eq(mkdir(link, 0755), 0);
	snprintf(link, sizeof(link), "%s/build/src/cli/pgreplay", dir);
	cr_assert_eq(symlink(bin, link), 0);
	return dir;
}

/* sh() - run cmd in dir; its exit status, stderr kept in dir/.err. */
static int
sh(const char *dir, const char *cmd, const char *out)
{
	char *full;
	size_t n = strlen(cmd) + 2 * strlen(dir) + 256;
	int st;

	full = malloc(n);
	cr_assert_not_null(full);
	snprintf(full, n, "cd '%s' && PATH='%s/bin':\"$PATH\" && export PATH "
	    "&& (%s\n) >%s 2>.err", dir, dir, cmd, out);
	st = system(full);
	free(full);
	cr_assert(st != -1 && WIFEXITED(st), "cannot run /bin/sh");
	return WEXITSTATUS(st);
}

/* check_synopsis() - the subcommand's help exists and names its options. */
static int
check_synopsis(const char *dir, const struct doc_cmd *d)
{
	static const char *const subs[] = { "convert", "gen", "import",
		"info", "params", "merge", "help" };
	const char *sub = NULL, *w;
	char cmd[128], opt[64], path[1200], *help;
	size_t i, len;
	int bad = 0;

	w = d->text + strcspn(d->text, " ");
	w += strspn(w, " ");
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (strncmp(w, subs[i], strlen(subs[i])) == 0 &&
		    (w[strlen(subs[i])] == ' ' || w[strlen(subs[i])] == '\0'))
			sub = subs[i];
	snprintf(cmd, sizeof(cmd), "pgreplay %s --help", sub ? sub : "");
	if (sh(dir, cmd, ".help") != 0) {
		fprintf(stderr, "%s:%u: synopsis: '%s' failed\n", d->file,
		    d->line, cmd);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/.help", dir);
	help = slurp(path);
	for (w = d->text; (w = strstr(w, "--")) != NULL; w += len) {
		len = 2 + strspn(w + 2, "abcdefghijklmnopqrstuvwxyz-");
		snprintf(opt, sizeof(opt), "%.*s", (int)len, w);
		if (len > 2 && strstr(help, opt) == NULL) {
			fprintf(stderr, "%s:%u: synopsis option %s is not in "
			    "'%s'\n", d->file, d->line, opt, cmd);
			bad = 1;
		}
	}
	free(help);
	return bad;
}

/*
 * run_doc() - every command of one document; returns the number found and
 * fails the test, after listing them all, if any did not behave.
 */
static size_t
run_doc(const char *rel, bool man)
{
	struct doc_cmds c = { 0 };
	char path[1200], errpath[1300], *dir, *err;
	size_t i, ran = 0, failed = 0;
	int st;

	snprintf(path, sizeof(path), "%s/%s", src_root(), rel);
	if (man)
		man_commands(path, rel, &c);
	else
		md_commands(path, rel, &c);
	dir = scratch();
	snprintf(errpath, sizeof(errpath), "%s/.err", dir);
	unsetenv("PGREPLAY_CHECK");
	for (i = 0; i < c.n; i++) {
		const struct doc_cmd *d = &c.v[i];

		if (d->skip[0] != '\0') {
			fprintf(stderr, "%s:%u: skipped (%s): %s\n", d->file,
			    d->line, d->skip, d->text);
			continue;
		}
		if (d->synopsis) {
			failed += (size_t)check_synopsis(dir, d);
			continue;
		}
		st = sh(dir, d->text, "/dev/null");
		ran++;
		if (st == d->want)
			continue;
		err = slurp(errpath);
		fprintf(stderr, "%s:%u: exit %d, documented %d: %s\n%s",
		    d->file, d->line, st, d->want, d->text, err);
		free(err);
		failed++;
	}
	fprintf(stderr, "%s: %zu commands run, %zu found\n", rel, ran, c.n);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	cr_assert_eq(system(path), 0);
	free(dir);
	free(c.v);
	cr_assert_eq(failed, 0, "%s: %zu of %zu commands do not behave as "
	    "documented (listed above)", rel, failed, c.n);
	return ran;
}

Test(docs, readme_commands)
{
	cr_assert_geq(run_doc("README.md", false), 2);
}

Test(docs, man_page_examples)
{
	cr_assert_geq(run_doc("docs/pgreplay.1", true), 9);
}

Test(docs, docs_md_commands)
{
	char dir[1200], rel[600];
	struct dirent *de;
	size_t ran = 0, len;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/docs", src_root());
	d = opendir(dir);
	cr_assert_not_null(d);
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 4 || strcmp(de->d_name + len - 3, ".md") != 0)
			continue;
		snprintf(rel, sizeof(rel), "docs/%s", de->d_name);
		ran += run_doc(rel, false);
	}
	closedir(d);
	/* docs/report.md's CI script at least. */
	cr_assert_geq(ran, 1);
}

/* The extraction itself, on a sample of each form. */
Test(docs, extraction)
{
	struct doc_cmds c = { 0 };

	add_cmd(&c, "t", 1, "pgreplay a.pgt -c b.yaml   # exit 1 (no)");
	add_cmd(&c, "t", 2, "pgreplay TRACE --config FILE");
	add_cmd(&c, "t", 3, "zstdcat x | pgreplay - -c y.yaml");
	add_cmd(&c, "t", 4, "build/src/cli/pgreplay info x  # skip: needs x");
	add_cmd(&c, "t", 5, "pgreplay: t.pgt:4: unknown op");
	add_cmd(&c, "t", 6, "meson test -C build");
	cr_assert_eq(c.n, 4);
	cr_assert_str_eq(c.v[0].text, "pgreplay a.pgt -c b.yaml");
	cr_assert_eq(c.v[0].want, 1);
	cr_assert(!c.v[0].synopsis);
	cr_assert(c.v[1].synopsis);
	cr_assert_eq(c.v[2].want, 0);
	cr_assert_str_eq(c.v[3].skip, " needs x");
	free(c.v);
}

/* The key of the table named by path, or fail. */
static const struct conf_key_desc *
key_of(const char *file, unsigned line, const char *path)
{
	size_t i;

	cr_assert_eq(conf_key_find(path, &i), 0, "%s:%u: '%s' is not a "
	    "configuration key", file, line, path);
	return conf_key_desc(i);
}

static void
expect_value(const char *file, unsigned line, const struct conf_key_desc *k,
    const char *what, const char *got, int64_t v)
{
	char want[64];

	conf_format_value(k->kind, v, want, sizeof(want));
	cr_expect_str_eq(got, want, "%s:%u: %s %s of %s is %s in the loader",
	    file, line, what, got, k->path, want);
}

/* configs/default.yaml: "key: DEFAULT   # MIN .. MAX, ..." lines. */
Test(docs, default_yaml_ranges_are_the_loaders)
{
	char path[1200], *text, *p, *nl, line[LINE_MAX_LEN];
	char section[3][64] = { "", "", "" }, full[256], key[64], val[64];
	char lo[64], hi[64];
	const struct conf_key_desc *k;
	unsigned no = 0, checked = 0;
	size_t indent, level;

	snprintf(path, sizeof(path), "%s/configs/default.yaml", src_root());
	text = slurp(path);
	for (p = text; *p != '\0'; p = nl != NULL ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		snprintf(line, sizeof(line), "%.*s",
		    (int)(nl != NULL ? nl - p : (long)strlen(p)), p);
		no++;
		indent = strspn(line, " ");
		if (line[indent] == '#' || line[indent] == '\0' ||
		    indent % 2 != 0 || indent / 2 > 2)
			continue;
		level = indent / 2;
		if (sscanf(line + indent, "%63[^:]:", key) != 1)
			continue;
		snprintf(section[level], sizeof(section[level]), "%s", key);
		if (level == 0)
			snprintf(full, sizeof(full), "%s", key);
		else if (level == 1)
			snprintf(full, sizeof(full), "%s.%s", section[0], key);
		else
			snprintf(full, sizeof(full), "%s.%s.%s", section[0],
			    section[1], key);
		if (strstr(line, " .. ") == NULL)
			continue;
		cr_assert_eq(sscanf(strchr(line, ':') + 1, " %63s # %63s .. "
		    "%63[^ ,;]", val, lo, hi), 3, "configs/default.yaml:%u: "
		    "expected 'KEY: VALUE  # MIN .. MAX'", no);
		k = key_of("configs/default.yaml", no, full);
		expect_value("configs/default.yaml", no, k, "default", val,
		    k->def);
		expect_value("configs/default.yaml", no, k, "minimum", lo,
		    k->min);
		expect_value("configs/default.yaml", no, k, "maximum", hi,
		    k->max);
		checked++;
	}
	free(text);
	cr_assert_geq(checked, 10, "only %u ranges found", checked);
}

/* docs/configuration.md: "| `key` | default | min | max | ..." rows. */
Test(docs, configuration_md_table_is_the_loaders)
{
	char path[1200], *text, *p, *nl, line[LINE_MAX_LEN];
	char full[128], def[64], lo[64], hi[64];
	const struct conf_key_desc *k;
	unsigned no = 0;
	size_t i, n, rows = 0;

	snprintf(path, sizeof(path), "%s/docs/configuration.md", src_root());
	text = slurp(path);
	for (p = text; *p != '\0'; p = nl != NULL ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		snprintf(line, sizeof(line), "%.*s",
		    (int)(nl != NULL ? nl - p : (long)strlen(p)), p);
		no++;
		if (sscanf(line, "| `%127[^`]` | %63[^ |] | %63[^ |] | "
		    "%63[^ |] |", full, def, lo, hi) != 4 ||
		    conf_key_find(full, &i) != 0)
			continue;
		k = key_of("docs/configuration.md", no, full);
		rows++;
		/* A set of names: its range is words ("none", "all"). */
		if (k->kind == CONF_VARIANTS)
			continue;
		expect_value("docs/configuration.md", no, k, "default", def,
		    k->def);
		expect_value("docs/configuration.md", no, k, "minimum", lo,
		    k->min);
		expect_value("docs/configuration.md", no, k, "maximum", hi,
		    k->max);
	}
	free(text);
	n = conf_key_count();
	cr_assert_eq(rows, n, "the table has %zu of the %zu keys", rows, n);
}
