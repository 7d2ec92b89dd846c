/*
 * test_refs.c - references that must resolve, and rules of the layout
 * that the compiler cannot see:
 *
 * - every seed citation in src/ (`S:n`, `S:n-m`) lies inside the seed,
 *   whose line count is shipped here (SEED_LINES; docs/model.md names the
 *   file and how to get it) and compared with the file itself when a
 *   checkout of the shared reference sits beside the source tree;
 * - every field of VM_THRESHOLD_FIELDS() is named in
 *   docs/configuration.md, and the reported ones in docs/report.md's
 *   domains[] section;
 * - no file of a module (src/A/) or of bench/ includes a private header
 *   of another module (src/B/, B != A): one named *_int.h or *_impl.h, or
 *   whose opening comment says it is private;
 * - every `return` with a value in src/ is written `return (value);`
 *   (style(9));
 * - no file in src/ is over FILE_LINES_MAX lines, but for those of
 *   too_long[], which may not grow past their count.
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

#include "vm/thresholds.h"

/* Lines of the seed, sys/vm/vm_pageout.c (docs/model.md, "The seed"). */
#define SEED_LINES 1994

#define PATH_LEN 1024

static const char *
src_root(void)
{
	const char *root = getenv("PGREPLAY_SOURCE_ROOT");

	cr_assert_not_null(root, "PGREPLAY_SOURCE_ROOT is not set");
	return (root);
}

/* The file at path, NUL-terminated, or NULL if it cannot be read. */
static char *
slurp_or_null(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL)
		return (NULL);
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0)
		goto out;
	rewind(f);
	if ((buf = malloc((size_t)n + 1)) == NULL)
		goto out;
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
		goto out;
	}
	buf[n] = '\0';
out:
	fclose(f);
	return (buf);
}

static char *
slurp(const char *path)
{
	char *s = slurp_or_null(path);

	cr_assert_not_null(s, "%s: %s", path, strerror(errno));
	return (s);
}

typedef void (*file_fn)(const char *path, const char *rel, void *arg);

/* Call fn on every .c and .h file under dir (rel: its path from root). */
static void
walk(const char *dir, const char *rel, file_fn fn, void *arg)
{
	char path[PATH_LEN], sub[PATH_LEN];
	struct dirent *de;
	struct stat st;
	size_t len;
	DIR *d;

	d = opendir(dir);
	cr_assert_not_null(d, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		snprintf(sub, sizeof(sub), "%s/%s", rel, de->d_name);
		cr_assert_eq(stat(path, &st), 0, "%s", path);
		if (S_ISDIR(st.st_mode)) {
			walk(path, sub, fn, arg);
			continue;
		}
		len = strlen(de->d_name);
		if (len > 2 && de->d_name[len - 2] == '.' &&
		    (de->d_name[len - 1] == 'c' || de->d_name[len - 1] == 'h'))
			fn(path, sub, arg);
	}
	closedir(d);
}

/* ---- seed citations ---- */

struct cites {
	size_t n;		/* citations seen */
	size_t bad;		/* outside the seed */
	char first_bad[256];
};

/*
 * scan_cites() - check every "S:n" and "S:n-m" (ASCII hyphen or en dash)
 * of text against 1 <= n <= m <= SEED_LINES.
 */
static void
scan_cites(const char *text, const char *name, struct cites *c)
{
	const char *p, *q;
	unsigned long a, b;
	unsigned line;
	char *end;

	for (p = text; (p = strstr(p, "S:")) != NULL; p += 2) {
		if (p > text && (isalnum((unsigned char)p[-1]) ||
		    p[-1] == '_'))
			continue;
		if (!isdigit((unsigned char)p[2]))
			continue;
		a = strtoul(p + 2, &end, 10);
		b = a;
		q = end;
		if (*q == '-' && isdigit((unsigned char)q[1]))
			b = strtoul(q + 1, &end, 10);
		else if (strncmp(q, "\xe2\x80\x93", 3) == 0 &&
		    isdigit((unsigned char)q[3]))
			b = strtoul(q + 3, &end, 10);
		c->n++;
		if (a >= 1 && a <= b && b <= SEED_LINES)
			continue;
		if (c->bad++ == 0) {
			for (line = 1, q = text; q < p; q++)
				line += *q == '\n';
			snprintf(c->first_bad, sizeof(c->first_bad),
			    "%s:%u: S:%lu-%lu", name, line, a, b);
		}
	}
}

static void
cite_file(const char *path, const char *rel, void *arg)
{
	char *text = slurp(path);

	scan_cites(text, rel, arg);
	free(text);
}

Test(refs, seed_citation_parser)
{
	struct cites c = { 0 };

	scan_cites("S:1 S:1994 S:325-425 S:1848\xe2\x80\x93" "1937 xS:5000",
	    "t", &c);
	cr_assert_eq(c.n, 4);
	cr_assert_eq(c.bad, 0, "%s", c.first_bad);
	scan_cites("ok S:12\n S:1995", "t", &c);
	cr_assert_eq(c.bad, 1);
	cr_assert_str_eq(c.first_bad, "t:2: S:1995-1995");
	scan_cites("S:30-20 S:0", "t", &c);
	cr_assert_eq(c.bad, 3);
}

Test(refs, seed_citations_lie_inside_the_seed)
{
	char dir[PATH_LEN], seed[PATH_LEN];
	struct cites c = { 0 };
	unsigned long lines = 0;
	char *text, *p;

	snprintf(dir, sizeof(dir), "%s/src", src_root());
	walk(dir, "src", cite_file, &c);
	cr_assert_gt(c.n, 100, "only %zu citations found", c.n);
	cr_assert_eq(c.bad, 0, "%zu citations outside the seed's %d lines, "
	    "the first %s", c.bad, SEED_LINES, c.first_bad);

	/* The shipped count is the file's, where the file is at hand. */
	snprintf(seed, sizeof(seed), "%s/../shared/reference/vm_pageout.c",
	    src_root());
	if ((text = slurp_or_null(seed)) == NULL)
		return;
	for (p = text; *p != '\0'; p++)
		lines += *p == '\n';
	free(text);
	cr_assert_eq(lines, SEED_LINES, "%s has %lu lines", seed, lines);
}

/* ---- the threshold fields ---- */

/* Whether name occurs in text as a whole word (identifier characters). */
static bool
has_word(const char *text, const char *end, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = text; (p = strstr(p, name)) != NULL && p < end; p++) {
		if ((p == text || !(isalnum((unsigned char)p[-1]) ||
		    p[-1] == '_')) && !(isalnum((unsigned char)p[n]) ||
		    p[n] == '_'))
			return (true);
	}
	return (false);
}

Test(refs, threshold_fields_are_documented)
{
#define TH_NAME(name_, sgn_, rep_) { #name_, (rep_) },
	static const struct {
		const char *name;
		int report;
	} fields[] = { VM_THRESHOLD_FIELDS(TH_NAME) };
#undef TH_NAME
	char path[PATH_LEN], *conf, *report, *sec, *end;
	size_t i, reported = 0;

	snprintf(path, sizeof(path), "%s/docs/configuration.md", src_root());
	conf = slurp(path);
	snprintf(path, sizeof(path), "%s/docs/report.md", src_root());
	report = slurp(path);
	sec = strstr(report, "### `domains[]`");
	cr_assert_not_null(sec, "docs/report.md has no domains[] section");
	end = strstr(sec + 1, "\n### ");
	if (end == NULL)
		end = sec + strlen(sec);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		cr_assert(has_word(conf, conf + strlen(conf), fields[i].name),
		    "docs/configuration.md does not name %s", fields[i].name);
		if (fields[i].report == 0)
			continue;
		reported++;
		cr_assert(has_word(sec, end, fields[i].name),
		    "docs/report.md's domains[] does not name %s",
		    fields[i].name);
	}
	cr_assert_eq(reported, VM_THRESHOLDS_REPORTED);
	free(conf);
	free(report);
}

/* ---- private headers ---- */

/* Whether the header at path is private to its module. */
static bool
is_private(const char *path)
{
	const char *base = strrchr(path, '/');
	char *text, *guard;
	bool priv;

	base = base != NULL ? base + 1 : path;
	if (strstr(base, "_int.h") != NULL || strstr(base, "_impl.h") != NULL)
		return (true);
	if ((text = slurp_or_null(path)) == NULL)
		return (false);
	/* Only the opening comment, before the include guard, counts. */
	if ((guard = strstr(text, "#ifndef")) != NULL)
		*guard = '\0';
	priv = strstr(text, "private to") != NULL ||
	    strstr(text, "Private to") != NULL ||
	    strstr(text, "(private") != NULL ||
	    strstr(text, "Not for other modules") != NULL ||
	    strstr(text, "nobody else") != NULL;
	free(text);
	return (priv);
}

struct includes {
	size_t files;
	size_t bad;
	char first_bad[PATH_LEN + 512];
};

/* The module of rel ("src/A/..." gives A), or "" outside src/. */
static void
module_of(const char *rel, char *out, size_t n)
{
	const char *p, *q;

	out[0] = '\0';
	if (strncmp(rel, "src/", 4) != 0)
		return;
	p = rel + 4;
	if ((q = strchr(p, '/')) == NULL)
		return;
	snprintf(out, n, "%.*s", (int)(q - p), p);
}

static void
include_file(const char *path, const char *rel, void *arg)
{
	struct includes *inc = arg;
	char mine[64], hdr[256], full[PATH_LEN + 256];
	char *text = slurp(path), *p, *q;
	size_t n;

	inc->files++;
	module_of(rel, mine, sizeof(mine));
	for (p = text; (p = strstr(p, "#include \"")) != NULL; p++) {
		p += strlen("#include \"");
		if ((q = strchr(p, '"')) == NULL || (size_t)(q - p) >=
		    sizeof(hdr))
			continue;
		snprintf(hdr, sizeof(hdr), "%.*s", (int)(q - p), p);
		n = strcspn(hdr, "/");
		if (hdr[n] != '/')
			continue;
		/* Its own module's headers are the module's business. */
		if (strlen(mine) == n && strncmp(hdr, mine, n) == 0)
			continue;
		snprintf(full, sizeof(full), "%s/src/%s", src_root(), hdr);
		if (!is_private(full))
			continue;
		if (inc->bad++ == 0)
			snprintf(inc->first_bad, sizeof(inc->first_bad),
			    "%s includes %s", rel, hdr);
	}
	free(text);
}

Test(refs, private_header_detection)
{
	char path[PATH_LEN];

	snprintf(path, sizeof(path), "%s/src/import/space.h", src_root());
	cr_assert(is_private(path));
	snprintf(path, sizeof(path), "%s/src/vm/vm_int.h", src_root());
	cr_assert(is_private(path));
	snprintf(path, sizeof(path), "%s/src/trace/reader.h", src_root());
	cr_assert(!is_private(path));
	snprintf(path, sizeof(path), "%s/src/vm/thresholds.h", src_root());
	cr_assert(!is_private(path));
}

Test(refs, no_module_includes_another_modules_private_header)
{
	struct includes inc = { 0 };
	char dir[PATH_LEN];

	snprintf(dir, sizeof(dir), "%s/src", src_root());
	walk(dir, "src", include_file, &inc);
	snprintf(dir, sizeof(dir), "%s/bench", src_root());
	walk(dir, "bench", include_file, &inc);
	cr_assert_gt(inc.files, 100);
	cr_assert_eq(inc.bad, 0, "%zu private includes, the first: %s",
	    inc.bad, inc.first_bad);
}

/* ---- return (x) ---- */

struct returns {
	size_t n;		/* return statements with a value */
	size_t bad;
	char first_bad[PATH_LEN + 256];
};

/*
 * scan_returns() - count the `return VALUE;` of text not written
 * `return (VALUE);`.  Comment lines (starting with / * or *) and text
 * after a // or inside a string on the same line are not code.
 */
static void
scan_returns(const char *text, const char *name, struct returns *r)
{
	const char *line, *nl, *p, *q;
	unsigned lineno = 0;
	bool in_comment = false;

	for (line = text; *line != '\0'; line = nl + 1) {
		lineno++;
		if ((nl = strchr(line, '\n')) == NULL)
			nl = line + strlen(line);
		for (p = line; *p == ' ' || *p == '\t'; p++)
			continue;
		/*
		 * A line opening a block comment, or inside one.  A line
		 * starting with '*' outside one is code (*out = x).
		 */
		if (in_comment || strncmp(p, "/*", 2) == 0) {
			/* A comment line: does a block comment end on it? */
			in_comment = true;
			for (q = p; q + 1 < nl; q++)
				if (q[0] == '*' && q[1] == '/')
					in_comment = false;
			if (*nl == '\0')
				break;
			continue;
		}
		for (q = p; q < nl; q++) {
			if (*q == '"' || strncmp(q, "/*", 2) == 0 ||
			    strncmp(q, "//", 2) == 0)
				break;
			if (strncmp(q, "return", 6) != 0 ||
			    (q > line && (isalnum((unsigned char)q[-1]) ||
			    q[-1] == '_')) || isalnum((unsigned char)q[6]) ||
			    q[6] == '_')
				continue;
			if (q[6] == ';')
				break;
			r->n++;
			if (q[6] == ' ' && q[7] == '(')
				break;
			if (r->bad++ == 0)
				snprintf(r->first_bad, sizeof(r->first_bad),
				    "%s:%u: %.*s", name, lineno,
				    (int)(nl - p), p);
			break;
		}
		if (*nl == '\0')
			break;
	}
}

static void
return_file(const char *path, const char *rel, void *arg)
{
	char *text = slurp(path);

	scan_returns(text, rel, arg);
	free(text);
}

Test(refs, return_style_checker)
{
	struct returns r = { 0 };

	scan_returns("\treturn (0);\n\treturn;\n/*\n * return x;\n */\n"
	    "\tx = \"return y;\";\n", "t", &r);
	cr_assert_eq(r.n, 1);
	cr_assert_eq(r.bad, 0, "%s", r.first_bad);
	scan_returns("\tif (a)\n\t\treturn a + 1;\n", "t", &r);
	cr_assert_eq(r.bad, 1);
	cr_assert_str_eq(r.first_bad, "t:2: return a + 1;");
	/* A dereference at the start of a line is code, not a comment. */
	scan_returns("\t*out = x;\n\treturn b;\n", "u", &r);
	cr_assert_eq(r.bad, 2);
}

Test(refs, returns_are_parenthesised)
{
	struct returns r = { 0 };
	char dir[PATH_LEN];

	snprintf(dir, sizeof(dir), "%s/src", src_root());
	walk(dir, "src", return_file, &r);
	cr_assert_gt(r.n, 1000, "only %zu returns found", r.n);
	cr_assert_eq(r.bad, 0, "%zu returns without parentheses, the first "
	    "%s", r.bad, r.first_bad);
}

/* ---- file length ---- */

#define FILE_LINES_MAX 600

struct lengths {
	size_t files;
	size_t bad;
	char first_bad[PATH_LEN + 64];
};

static void
length_file(const char *path, const char *rel, void *arg)
{
	struct lengths *l = arg;
	size_t lines = 0;
	char *text = slurp(path), *p;

	for (p = text; *p != '\0'; p++)
		lines += *p == '\n';
	free(text);
	l->files++;
	if (lines > FILE_LINES_MAX && l->bad++ == 0)
		snprintf(l->first_bad, sizeof(l->first_bad), "%s: %zu lines",
		    rel, lines);
}

Test(refs, no_source_file_over_600_lines)
{
	struct lengths l = { 0 };
	char dir[PATH_LEN];

	snprintf(dir, sizeof(dir), "%s/src", src_root());
	walk(dir, "src", length_file, &l);
	cr_assert_gt(l.files, 100);
	cr_assert_eq(l.bad, 0, "%zu files over %d lines, the first %s", l.bad,
	    FILE_LINES_MAX, l.first_bad);
}
