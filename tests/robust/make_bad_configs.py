#!/usr/bin/env python3
"""Write the systematic bad configurations of tests/conf/bad/.

For every numeric key of src/conf/keys.c: a list where a scalar belongs,
a value of the wrong shape for its kind, and a value out of every key's
range.  Run from the source root, then regenerate the .err goldens:

    python3 tests/robust/make_bad_configs.py
    PGREPLAY_REGEN_GOLDEN=1 meson test -C build conf-golden
    git diff tests/conf/bad/      # review every message

A candidate that the loader accepts is reported and not written: each file
must be refused (tests/conf/test_golden.c checks it).
"""
import os
import re
import subprocess
import sys

KEYS = "src/conf/keys.c"
OUT = "tests/conf/bad"

# A value of the wrong shape, and one past the range, per kind.
WRONG = {
    "CONF_INT": "twelve",
    "CONF_BOOL": "yes",
    "CONF_SIZE": "12 parsecs",
    "CONF_PERCENT": "0.5",
    "CONF_DURATION": "5 fortnights",
    "CONF_BANDWIDTH": "1GiB",
}
RANGE = {
    "CONF_INT": "99999999999",
    "CONF_BOOL": "2",
    "CONF_SIZE": "1000TiB",
    "CONF_PERCENT": "150%",
    "CONF_DURATION": "100000000s",
    "CONF_BANDWIDTH": "1000TiB/s",
}


def keys():
    src = open(KEYS).read()
    for m in re.finditer(r'\bKEY\("([^"]+)",\s*"[^"]+",\s*(CONF_\w+),'
                         r'[^"]*"([^"]+)",\s*"([^"]+)"', src):
        yield m.group(1), m.group(2), m.group(3), m.group(4)
    for m in re.finditer(r'\bSYSCTL\("([^"]+)"', src):
        yield "sysctl." + m.group(1), "CONF_INT", "sysctl", m.group(1)
    for m in re.finditer(r'\bSYSBOOL\("([^"]+)"', src):
        yield "sysctl." + m.group(1), "CONF_BOOL", "sysctl", m.group(1)


def yaml_for(section, leaf, value):
    parts = section.split(".")
    lines = ["# Written by tests/robust/make_bad_configs.py"]
    for depth, p in enumerate(parts):
        lines.append("  " * depth + p + ":")
    lines.append("  " * len(parts) + leaf + ": " + value)
    return "\n".join(lines) + "\n"


def main():
    pgreplay = sys.argv[1] if len(sys.argv) > 1 else "build/src/cli/pgreplay"
    seen = set()
    written = 0
    for path, kind, section, leaf in keys():
        if path in seen:
            continue
        seen.add(path)
        for tag, value in (("list", "[1, 2]"), ("shape", WRONG[kind]),
                           ("range", RANGE[kind])):
            name = "key-%s-%s.yaml" % (path.replace(".", "-").replace(
                "_", "-"), tag)
            text = yaml_for(section, leaf, value)
            dest = os.path.join(OUT, name)
            with open(dest, "w") as f:
                f.write(text)
            r = subprocess.run([pgreplay, "params", "-c", dest],
                               capture_output=True)
            if r.returncode != 2:
                print("accepted, not kept: %s = %s" % (path, value))
                os.remove(dest)
                continue
            written += 1
    print("%d files written" % written)


if __name__ == "__main__":
    main()
