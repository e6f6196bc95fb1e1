#!/usr/bin/env python3
"""readme.py [--update] BIN -- the README's examples, checked against the
program (issue 16): the sample event is what `sitrep extract
examples/tanf-handover.txt` prints first; the `make run` sample is what
tools/run-examples prints (timings aside); every command the README lists
exists; no help text names a file the repository does not have.  With
--update the two samples are rewritten from the program's output (review
with git diff README.md).  Prints "readme: N passed, N failed"."""
import json
import os
import re
import subprocess
import sys

args = sys.argv[1:]
update = bool(args) and args[0] == "--update"
if update:
    args = args[1:]
BIN = os.path.realpath(args[0])
ROOT = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))
README = os.path.join(ROOT, "README.md")
text = open(README, encoding="utf-8").read()
passed = failed = 0


def ok():
    global passed
    passed += 1


def bad(msg):
    global failed
    failed += 1
    print("FAIL readme: " + msg)


def run(cmd):
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)


def block_after(marker, lang=""):
    """(start, end) of the fenced block that follows marker in text."""
    at = text.find(marker)
    if at < 0:
        return None
    start = text.find("```" + lang + "\n", at)
    if start < 0:
        return None
    start += len("```" + lang + "\n")
    end = text.find("```", start)
    return (start, end)


# ---- the sample event
marker = "One event, as `sitrep extract examples/tanf-handover.txt` prints it:"
span = block_after(marker, "json")
out = run([BIN, "extract", "examples/tanf-handover.txt"])
first = json.loads(out.stdout.split("\n", 1)[0]) if out.returncode == 0 and out.stdout else None
if span is None or first is None:
    bad("no sample event after '%s' in README.md, or extract failed: %s" % (marker, out.stderr[:200]))
else:
    shown = json.loads(text[span[0]:span[1]])
    if shown == first:
        ok()
    elif update:
        text = text[:span[0]] + json.dumps(first, indent=1, ensure_ascii=False) + "\n" + text[span[1]:]
        print("readme: sample event updated")
    else:
        keys = sorted(set(shown) ^ set(first))
        diff = [k for k in first if k in shown and shown[k] != first[k]]
        bad("the sample event differs from `sitrep extract examples/tanf-handover.txt`"
            " (fields only on one side: %s; different: %s); run tests/install/readme.py"
            " --update %s and review git diff README.md" % (keys, diff, args[0]))

# ---- the `make run` sample, timings masked
TIMING = re.compile(r"in [0-9.]+ s \([0-9]+ reports/s; fusion [0-9.]+ s\)")
span = block_after("ingests them into `build/examples.db` and prints the report:")
out = run(["tools/run-examples", BIN])
if span is None or out.returncode != 0:
    bad("no `make run` sample in README.md, or tools/run-examples failed: %s" % out.stderr[:200])
else:
    shown = TIMING.sub("in T s", text[span[0]:span[1]]).rstrip("\n")
    got = TIMING.sub("in T s", out.stdout).rstrip("\n")
    if shown == got:
        ok()
    elif update:
        text = text[:span[0]] + out.stdout.rstrip("\n") + "\n" + text[span[1]:]
        print("readme: make run sample updated")
    else:
        import difflib
        d = list(difflib.unified_diff(shown.split("\n"), got.split("\n"), "README.md", "make run", lineterm=""))
        bad("the `make run` sample differs from tools/run-examples' output:\n  " +
            "\n  ".join(d[:30]) + "\n  run tests/install/readme.py --update %s" % args[0])

# ---- every command the README lists exists, and says how to call it
cmds = re.findall(r"^    sitrep ([a-z|]+)", text, re.M)
if not cmds:
    bad("no command list in README.md")
for group in cmds:
    for c in group.split("|"):
        r = run([BIN, c, "--help"])
        if r.returncode == 0:
            ok()
        else:
            bad("README lists `sitrep %s`, which is no command: %s" % (c, r.stderr.strip()[:200]))
if "build/sitrep" in text:
    ok()
else:
    bad("README.md does not say how to call the built program (build/sitrep)")

# ---- help texts name only files the repository has
top = run([BIN, "--help"]).stdout
names = re.findall(r"^  ([a-z]+)\s", top.split("Commands:", 1)[-1], re.M)
for c in names:
    h = run([BIN, c, "--help"]).stdout
    for f in set(re.findall(r"\b[A-Za-z_]+\.md\b", h)):
        if os.path.exists(os.path.join(ROOT, f)):
            ok()
        else:
            bad("`sitrep %s --help` refers to %s, which is not in the repository" % (c, f))

if update:
    open(README, "w", encoding="utf-8").write(text)
print("readme: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
