#!/usr/bin/python3
"""Validate every golden JSON report against docs/report.schema.json.

Usage: validate_schema.py SOURCE_ROOT [REPORT.json ...]

The goldens are tests/**/expected/*.json and tests/**/golden/*.json (the
corpus baselines of tests/corpus/baselines/ are not reports: they leave
out the version keys); more
reports (written by the test run itself) may be given.  Fails (exit 1)
when the schema is not a valid JSON Schema, when no golden is found, when
any report does not validate, or when a report stripped of its
schema_version still validates (the schema would then check nothing).
"""
import copy
import glob
import json
import os
import sys

import jsonschema


def main():
    root = sys.argv[1]
    with open(os.path.join(root, "docs", "report.schema.json")) as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    paths = sorted(glob.glob(os.path.join(root, "tests", "**", "expected",
                                          "*.json"), recursive=True) +
                   glob.glob(os.path.join(root, "tests", "**", "golden",
                                          "*.json"), recursive=True))
    # Timelines (--timeline FILE.json) are not reports.
    paths = [p for p in paths if not p.endswith(".timeline.json")]
    if not paths:
        print("no golden JSON report found under %s/tests" % root)
        return 1
    paths += sys.argv[2:]
    failed = 0
    for path in paths:
        with open(path) as f:
            doc = json.load(f)
        errors = sorted(validator.iter_errors(doc), key=lambda e: e.path)
        for e in errors[:5]:
            where = "/".join(str(p) for p in e.absolute_path)
            print("%s: /%s: %s" % (path, where, e.message))
        if errors:
            failed += 1
            continue
        broken = copy.deepcopy(doc)
        del broken["schema_version"]
        if validator.is_valid(broken):
            print("%s: still valid without schema_version" % path)
            failed += 1
            continue
        print("ok %s" % os.path.relpath(path, root))
    print("%d of %d reports valid" % (len(paths) - failed, len(paths)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
