#!/usr/bin/env python3
"""The closing summary of `make test` (and asan, tsan, debug, torture): how many tests passed,
failed and were skipped, counted apart, and every skipped test with the reason it gave.

    ctest_summary.py --junit FILE [--log FILE] [--label NAME]

--junit is the file ctest wrote with --output-junit. Each test case there carries a status
and the test's output (for skipped tests, all of it), which holds the reason:

  - tests skipped with SKIP_RETURN_CODE (the interop scripts) print a line "SKIP: <reason>";
  - GoogleTest tests skipped with GTEST_SKIP() (gtest_discover_tests gives them a
    SKIP_REGULAR_EXPRESSION) print "<file>:<line>: Skipped", the message, then "[  SKIPPED ]".

ctest also marks as "notrun" the tests it could not start (executable missing, a fixture's
setup failed); it counts those as failed, and so does this summary. Disabled tests are counted
on their own, as ctest does.

--log is ctest's console output: its own line "N% tests passed, F tests failed out of T" is
checked against the counts made here, so a summary that disagrees with ctest says so.

Exit status: 0 when the summary was made; 1 when the JUnit file cannot be read or the counts
disagree with ctest's. The tests' own result is ctest's exit status, which the Makefile keeps.
"""

import argparse
import os
import re
import sys
import xml.etree.ElementTree as ET

# ctest's completion status for the two ways a test asks to be skipped.
SKIP_PREFIXES = ("SKIP_RETURN_CODE=", "SKIP_REGULAR_EXPRESSION_MATCHED")

GTEST_SKIP_LOCATION = re.compile(r"^(?P<file>.+):(?P<line>\d+): Skipped$")
GTEST_SKIPPED_LINE = re.compile(r"^\[  SKIPPED \] ")
CTEST_TOTALS = re.compile(r"(\d+)% tests passed, (\d+) tests? failed out of (\d+)")


def gtest_skip_reason(lines):
    """The message of a GTEST_SKIP(), or None when the output holds none."""
    for i, line in enumerate(lines):
        where = GTEST_SKIP_LOCATION.match(line)
        if not where:
            continue
        message = []
        for following in lines[i + 1:]:
            if GTEST_SKIPPED_LINE.match(following):
                break
            if following.strip():
                message.append(following.strip())
        location = "%s:%s" % (os.path.basename(where.group("file")), where.group("line"))
        if not message:
            return "GTEST_SKIP() without a message (%s)" % location
        return "%s (%s)" % (" ".join(message), location)
    return None


def skip_reason(output, completion):
    """Why a skipped test skipped, from its output; says so when it printed no reason."""
    lines = output.splitlines()
    reason = gtest_skip_reason(lines)
    if reason:
        return reason
    said = [line.strip()[len("SKIP:"):].strip() for line in lines
            if line.strip().startswith("SKIP:")]
    if said:
        return "; ".join(said)
    printed = [line.strip() for line in lines if line.strip()]
    if printed:
        return "no SKIP line; last output: %s" % printed[-1]
    return "no reason printed (%s)" % completion


class Summary:
    def __init__(self):
        self.passed = []
        self.failed = []  # (name, why)
        self.skipped = []  # (name, reason)
        self.disabled = []

    def add(self, case):
        name = case.get("name", "?")
        status = case.get("status", "")
        output = case.findtext("system-out") or ""
        skipped = case.find("skipped")
        completion = skipped.get("message", "") if skipped is not None else ""
        if status == "run":
            self.passed.append(name)
        elif status == "notrun" and completion.startswith(SKIP_PREFIXES):
            self.skipped.append((name, skip_reason(output, completion)))
        elif status == "notrun":
            self.failed.append((name, "not run: " + (completion or "no reason given")))
        elif status == "disabled":
            self.disabled.append(name)
        elif status == "fail":
            self.failed.append((name, "failed"))
        else:
            self.failed.append((name, "unknown ctest status %r" % status))

    def counts_line(self, label):
        line = "%d passed, %d failed, %d skipped" % (
            len(self.passed), len(self.failed), len(self.skipped))
        if self.disabled:
            line += ", %d disabled" % len(self.disabled)
        return "%s: %s" % (label, line) if label else line


def read_junit(path):
    summary = Summary()
    root = ET.parse(path).getroot()
    # ctest writes one <testsuite>; a <testsuites> wrapper is accepted too.
    for case in root.iter("testcase"):
        summary.add(case)
    return summary


def check_against_ctest(summary, log_path):
    """Problems found comparing with ctest's own totals line (an empty list when they agree)."""
    try:
        with open(log_path, encoding="utf-8", errors="replace") as f:
            totals = CTEST_TOTALS.findall(f.read())
    except OSError as e:
        return ["cannot read ctest's output %s: %s" % (log_path, e)]
    if not totals:
        return ["ctest's totals line (\"N% tests passed, F tests failed out of T\") is not in "
                + log_path]
    _, ctest_failed, ctest_total = (int(x) for x in totals[-1])
    problems = []
    if ctest_failed != len(summary.failed):
        problems.append("ctest counts %d failed, this summary %d" %
                        (ctest_failed, len(summary.failed)))
    counted = len(summary.passed) + len(summary.failed) + len(summary.skipped)
    if ctest_total != counted:
        problems.append("ctest ran %d tests, this summary counts %d" % (ctest_total, counted))
    return problems


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--junit", required=True, help="ctest's --output-junit file")
    parser.add_argument("--log", help="ctest's console output, to check the counts against")
    parser.add_argument("--label", default="", help="prefix of the counts line (the preset)")
    args = parser.parse_args(argv)

    try:
        summary = read_junit(args.junit)
    except (OSError, ET.ParseError) as e:
        print("ctest_summary: cannot read ctest's JUnit file %s: %s" % (args.junit, e),
              file=sys.stderr)
        print("%s: no summary (ctest's own lines above are all there is)" % (args.label or "ctest"))
        return 1

    if summary.skipped:
        print("skipped (%d), with the reason each gave:" % len(summary.skipped))
        for name, reason in summary.skipped:
            print("  %s: %s" % (name, reason))
    problems = check_against_ctest(summary, args.log) if args.log else []
    for problem in problems:
        print("ctest_summary: counts disagree with ctest: " + problem, file=sys.stderr)
    print(summary.counts_line(args.label))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
