#!/usr/bin/env python3
"""Tests of scripts/ctest_summary.py, the closing summary of `make test`, on hand-written ctest
output whose counts and skip reasons are known.

    ctest_summary_test.py SCRIPT TESTDATA_DIR
"""

import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

SCRIPT = None
TESTDATA = None


def run(*args):
    done = subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True,
                          check=False)
    return done.returncode, done.stdout, done.stderr


def junit(cases):
    """A ctest-shaped JUnit file holding `cases` (testcase elements as text)."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="(empty)" tests="0">\n'
            + cases + '</testsuite>\n')


class CtestSummaryTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def write(self, name, text):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def test_every_outcome_is_counted_apart_and_each_skip_says_why(self):
        code, out, err = run("--label", "release",
                             "--junit", os.path.join(TESTDATA, "mixed.junit.xml"),
                             "--log", os.path.join(TESTDATA, "mixed.ctest.log"))
        self.assertEqual(err, "")
        self.assertEqual(code, 0)
        self.assertEqual(out, textwrap.dedent("""\
            skipped (5), with the reason each gave:
              interop.duckdb_reads_strata: /src/tests/interop/node_modules/@duckdb/node-api is missing (run scripts/install-deps.sh)
              interop.escaped: redis-server & redis-cli <7.0> not found
              RdbCorpusTest.LibrdbExpiries: RDB corpus not found at /work/shared/rdb-corpus (set STRATA_RDB_CORPUS to the rdb-corpus directory to run this test) (corpus_test.cc:227)
              Quiet.Skip: GTEST_SKIP() without a message (quiet_test.cc:12)
              script.silent: no reason printed (SKIP_RETURN_CODE=77)
            release: 2 passed, 4 failed, 5 skipped, 1 disabled
            """))

    def test_a_run_without_skips_prints_zero_skipped_and_no_list(self):
        path = self.write("pass.xml", junit(
            '<testcase name="a" status="run"><system-out>ok</system-out></testcase>\n'
            '<testcase name="b" status="run"><system-out></system-out></testcase>\n'))
        log = self.write("pass.log", "100% tests passed, 0 tests failed out of 2\n")
        code, out, err = run("--label", "debug", "--junit", path, "--log", log)
        self.assertEqual((code, out, err), (0, "debug: 2 passed, 0 failed, 0 skipped\n", ""))

    def test_a_skip_without_a_skip_line_shows_its_last_output(self):
        path = self.write("quiet.xml", junit(
            '<testcase name="s" status="notrun"><skipped message="SKIP_RETURN_CODE=77"/>'
            '<system-out>warming up\nnode is too old\n\n</system-out></testcase>\n'))
        code, out, _ = run("--junit", path)
        self.assertEqual(code, 0)
        self.assertEqual(out, "skipped (1), with the reason each gave:\n"
                              "  s: no SKIP line; last output: node is too old\n"
                              "0 passed, 0 failed, 1 skipped\n")

    def test_counts_that_disagree_with_ctest_are_reported(self):
        log = self.write("other.log", "73% tests passed, 3 tests failed out of 11\n")
        code, out, err = run("--junit", os.path.join(TESTDATA, "mixed.junit.xml"), "--log", log)
        self.assertEqual(code, 1)
        self.assertIn("ctest counts 3 failed, this summary 4", err)
        self.assertTrue(out.endswith("2 passed, 4 failed, 5 skipped, 1 disabled\n"), out)

        log = self.write("fewer.log", "64% tests passed, 4 tests failed out of 10\n")
        code, _, err = run("--junit", os.path.join(TESTDATA, "mixed.junit.xml"), "--log", log)
        self.assertEqual(code, 1)
        self.assertIn("ctest ran 10 tests, this summary counts 11", err)

    def test_a_log_without_ctest_totals_is_reported(self):
        log = self.write("cut.log", "Test project /src/build/release\n    Start  1: ok.plain\n")
        code, _, err = run("--junit", os.path.join(TESTDATA, "mixed.junit.xml"), "--log", log)
        self.assertEqual(code, 1)
        self.assertIn("totals line", err)

    def test_a_missing_or_broken_junit_file_is_an_error_not_a_summary(self):
        code, out, err = run("--label", "asan", "--junit",
                             os.path.join(self.tmp.name, "absent.xml"))
        self.assertEqual(code, 1)
        self.assertEqual(out, "asan: no summary (ctest's own lines above are all there is)\n")
        self.assertIn("absent.xml", err)

        broken = self.write("broken.xml", '<testsuite><testcase name="a" status="run">')
        code, out, _ = run("--label", "asan", "--junit", broken)
        self.assertEqual(code, 1)
        self.assertNotIn("passed", out)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    SCRIPT, TESTDATA = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1] + sys.argv[3:])
