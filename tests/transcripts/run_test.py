#!/usr/bin/env python3
"""Tests of the transcript runner itself: a runner that passed everything would make every
transcript worthless, so its matching, parsing and failure paths are checked here on small
hand-written inputs."""

import contextlib
import io
import os
import shutil
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (the runner, imported from beside this file)


def write(directory: str, name: str, text: str) -> str:
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


class AlignTest(unittest.TestCase):
    def ok(self, expected, actual):
        return run.align(expected, actual)[0]

    def test_exact_lines(self):
        self.assertTrue(self.ok(["a", "b"], ["a", "b"]))
        self.assertFalse(self.ok(["a", "b"], ["a", "c"]))
        self.assertFalse(self.ok(["a"], ["a", "b"]))
        self.assertFalse(self.ok(["a", "b"], ["a"]))
        self.assertFalse(self.ok(["a "], ["a"]))  # trailing spaces count
        self.assertTrue(self.ok([], []))
        self.assertFalse(self.ok([], ["x"]))

    def test_ellipsis_within_a_line(self):
        self.assertTrue(self.ok(["took ... ms"], ["took 12.5 ms"]))
        self.assertTrue(self.ok(["took ... ms"], ["took  ms"]))
        self.assertFalse(self.ok(["took ... ms"], ["took 12.5 s"]))
        self.assertTrue(self.ok(["a...b...c"], ["a1b2c"]))
        self.assertFalse(self.ok(["a...b...c"], ["a1c2b"]))
        # Regular-expression characters are plain text.
        self.assertTrue(self.ok(["x=(1+2)* ..."], ["x=(1+2)* y"]))
        self.assertFalse(self.ok(["x=(1+2)*"], ["x=(1+22)"]))

    def test_ellipsis_line_matches_any_number_of_lines(self):
        self.assertTrue(self.ok(["a", "...", "z"], ["a", "z"]))
        self.assertTrue(self.ok(["a", "...", "z"], ["a", "b", "c", "z"]))
        self.assertTrue(self.ok(["..."], []))
        self.assertTrue(self.ok(["...", "exit 1"], ["x", "exit 1", "y", "exit 1"]))
        self.assertFalse(self.ok(["...", "exit 1"], ["x", "exit 2"]))
        self.assertFalse(self.ok(["a", "...", "z"], ["b", "z"]))

    def test_blank_line_marker(self):
        self.assertTrue(self.ok(["a", run.BLANK_LINE, "b"], ["a", "", "b"]))
        self.assertFalse(self.ok(["a", "b"], ["a", "", "b"]))

    def test_diff_marks_what_differs(self):
        ok, lines = run.align(["a", "x", "z"], ["a", "y", "z"])
        self.assertFalse(ok)
        self.assertEqual(lines, [(" ", "a"), ("-", "x"), ("+", "y"), (" ", "z")])
        # An ellipsis takes what it can; only the line nothing matches is marked.
        ok, lines = run.align(["a", "...", "x", "z"], ["a", "b", "y", "z"])
        self.assertFalse(ok)
        self.assertEqual([line for line in lines if line[0] != " "], [("-", "x")])


class TerminalTest(unittest.TestCase):
    def test_carriage_return_and_erase_line(self):
        self.assertEqual(run.render_terminal("50%\r\x1b[Kdone\n"), "done\n")
        self.assertEqual(run.render_terminal("abcdef\rXY\n"), "XYcdef\n")
        self.assertEqual(run.render_terminal("\r\x1b[K"), "")

    def test_output_lines(self):
        self.assertEqual(run.output_lines(""), [])
        self.assertEqual(run.output_lines("a\nb\n"), ["a", "b"])
        self.assertEqual(run.output_lines("a\nb"), ["a", "b"])
        self.assertEqual(run.output_lines("a\n\n"), ["a", ""])


class ParseTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_t_file(self):
        path = write(self.dir, "x.t", "# comment\n# transcript: requires sh\n\n"
                     "$ echo a \\\n  b\na b\n$ true\n\n# another\n$ printf 'x\\n'\nx\n")
        items = run.parse_t_file(path)
        self.assertIsInstance(items.items[0], run.Requires)
        steps = items.items[1:]
        self.assertEqual([s.command for s in steps], ["echo a \\\n  b", "true", "printf 'x\\n'"])
        self.assertEqual([s.expected for s in steps], [["a b"], [], ["x"]])
        self.assertEqual([s.line for s in steps], [4, 7, 10])

    def test_t_file_text_after_a_blank_line_is_an_error(self):
        path = write(self.dir, "x.t", "$ echo a\n\na\n")
        with self.assertRaises(run.TranscriptError) as e:
            run.parse_t_file(path)
        self.assertIn("x.t:3", str(e.exception))

    def test_markdown(self):
        path = write(self.dir, "x.md", """Text.

```sh
make test
```

```
$ echo one
one
```

<!-- transcript: skip
Too slow. -->
```
$ sleep 100
```

<!-- transcript: instead echo two
Why. -->

```
$ make two
...
two
```

<!-- transcript: setup
Why it is hidden.
$ touch f
-->

<!-- transcript: requires sh -->
""")
        items = run.parse_markdown(path).items
        steps = [i for i in items if isinstance(i, run.Step)]
        self.assertEqual([s.command for s in steps], ["echo one", "echo two", "touch f"])
        self.assertEqual([s.expected for s in steps], [["one"], ["...", "two"], []])
        self.assertEqual([s.line for s in steps], [8, 22, 29])
        self.assertIsInstance(items[-1], run.Requires)

    def test_markdown_directive_needs_a_block(self):
        path = write(self.dir, "x.md", "<!-- transcript: skip slow -->\nText.\n")
        with self.assertRaises(run.TranscriptError):
            run.parse_markdown(path)


class RunTest(unittest.TestCase):
    """Whole transcripts, run by bash. The strata binary is not needed: `true` stands in."""

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.strata = shutil.which("true")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def run_text(self, text: str):
        path = write(self.dir, "x.t", text)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status, _ = run.run_transcript(run.parse_t_file(path), self.strata, 10, False)
        return status, out.getvalue()

    def test_pass(self):
        status, out = self.run_text(
            "$ ls -A\n$ echo out; echo err >&2\nout\nerr\n$ cd /; pwd\n/\n$ pwd\n/\n"
            "$ false; echo \"exit $?\"\nexit 1\n$ type -t build/release/strata strata\n"
            "function\nfile\n")
        self.assertEqual(status, run.EXIT_OK, out)

    def test_wrong_output_fails_with_file_line_and_diff(self):
        status, out = self.run_text("$ echo ok\nok\n$ echo right\nwrong\n")
        self.assertEqual(status, run.EXIT_FAILED)
        self.assertIn("FAIL " + os.path.join(self.dir, "x.t") + ":3", out)
        self.assertIn("$ echo right", out)
        self.assertIn("- wrong", out)
        self.assertIn("+ right", out)

    def test_nonzero_exit_fails(self):
        status, out = self.run_text("$ false\n")
        self.assertEqual(status, run.EXIT_FAILED)
        self.assertIn("exit status 1", out)

    def test_stdout_is_a_terminal(self):
        status, out = self.run_text("$ [ -t 1 ] && [ -t 2 ] && echo tty\ntty\n")
        self.assertEqual(status, run.EXIT_OK, out)

    def test_timeout_ends_the_transcript(self):
        path = write(self.dir, "x.t", "$ sleep 5\n$ echo never\nnever\n")
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status, _ = run.run_transcript(run.parse_t_file(path), self.strata, 0.5, False)
        self.assertEqual(status, run.EXIT_FAILED)
        self.assertIn("timeout", out.getvalue())
        self.assertNotIn("echo never", out.getvalue())

    def test_missing_requirement_skips_the_rest(self):
        status, out = self.run_text(
            "$ echo a\na\n\n# transcript: requires no-such-program-here\n$ echo b\nwrong\n")
        self.assertEqual(status, run.EXIT_SKIPPED, out)

    def test_failure_before_a_missing_requirement_still_fails(self):
        status, _ = self.run_text(
            "$ echo a\nb\n\n# transcript: requires no-such-program-here\n$ echo b\n")
        self.assertEqual(status, run.EXIT_FAILED)


if __name__ == "__main__":
    unittest.main()
