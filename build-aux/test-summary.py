#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""test-summary.py BUILDDIR…: counts the GTest cases in each build's newest
meson-logs/testlog*.json and prints one line per build, then the total as the last
line: "N passed, N failed, N skipped". A test executable that crashed, timed out or
failed without a TAP "not ok" line counts as one failure. Exit 1 on any failure,
2 when a build has no log (meson test did not run)."""
import json
import re
import sys
from pathlib import Path

BAD = {"FAIL", "ERROR", "TIMEOUT", "UNEXPECTEDPASS"}
TAP = re.compile(r"(not )?ok\b(?:\s+\d+)?[^#]*(#\s*(SKIP|TODO)\b)?", re.I)


def summarise(builddir):
    logs = sorted((Path(builddir) / "meson-logs").glob("testlog*.json"),
                  key=lambda p: p.stat().st_mtime)
    if not logs:
        return None
    passed = failed = skipped = 0
    broken = []
    for line in logs[-1].read_text().splitlines():
        test = json.loads(line)
        result = test["result"]
        ok = notok = skip = 0
        out = test.get("stdout") or ""
        if re.search(r"^1\.\.\d+", out, re.M):
            for tap_line in out.splitlines():
                m = TAP.match(tap_line)
                if not m:
                    continue
                if m.group(3):
                    skip += 1
                elif m.group(1):
                    notok += 1
                else:
                    ok += 1
        if ok + notok + skip == 0:
            ok, notok, skip = (int(result not in BAD and result != "SKIP"),
                               int(result in BAD), int(result == "SKIP"))
        elif result in BAD and notok == 0:
            notok = 1
        if result in BAD:
            broken.append(test["name"])
        passed += ok
        failed += notok
        skipped += skip
    return passed, failed, skipped, broken


def main():
    dirs = sys.argv[1:] or ["build"]
    total = [0, 0, 0]
    rc = 0
    for d in dirs:
        s = summarise(d)
        if s is None:
            print(f"# {d}: no testlog*.json: meson test did not run", file=sys.stderr)
            rc = 2
            continue
        p, f, k, broken = s
        print(f"# {d}: {p} passed, {f} failed, {k} skipped"
              + (f" (failing: {', '.join(broken)})" if broken else ""))
        total = [total[0] + p, total[1] + f, total[2] + k]
    print(f"{total[0]} passed, {total[1]} failed, {total[2]} skipped")
    if total[1] and rc == 0:
        rc = 1
    return rc


sys.exit(main())
