#!/usr/bin/env python3
"""Runs transcripts: sessions written as data, checked command by command.

A transcript is a `.t` file, or the fenced code blocks of a Markdown file whose first line
starts with `$ `. README.md next to this file defines the format; this file implements it.

    run.py --strata build/release/strata tests/transcripts/wal.t
    run.py --strata build/release/strata README.md

Exit status: 0 every transcript passed; 1 one failed; 77 nothing failed but a transcript
stopped early because a peer it requires (`requires`) is not installed; 2 a usage error or a
transcript that cannot be read.

Standard library only: the runner must work on a machine that has just python3.
"""

from __future__ import annotations

import argparse
import dataclasses
import errno
import fcntl
import os
import re
import select
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
import tty

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_SKIPPED = 77  # ctest's SKIP_RETURN_CODE for these tests

ELLIPSIS = "..."
BLANK_LINE = "<BLANKLINE>"
DIRECTIVE_PREFIX = "transcript:"


class TranscriptError(Exception):
    """A transcript that cannot be parsed: names the file and line."""

    def __init__(self, path: str, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")


# --- The parsed form. -----------------------------------------------------------------------


@dataclasses.dataclass
class Step:
    """One prompt line (with its continuation lines) and the output expected after it."""

    kind: str  # the session kind: "shell" for `$ ` (later "resp" for `> `)
    command: str  # without the prompt; continuation lines joined with newlines
    expected: list[str]  # lines, `...` and <BLANKLINE> still unexpanded
    path: str
    line: int  # 1-based line of the prompt in `path`
    written: str = ""  # the command as written, when `instead` runs another

    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclasses.dataclass
class Requires:
    """From here on the transcript needs these programs on PATH."""

    programs: list[str]
    path: str
    line: int


@dataclasses.dataclass
class Transcript:
    name: str
    items: list  # Step | Requires, in order


# A prompt prefix per session kind. Only the shell kind runs today; a RESP session will add
# ("> ", "resp") here and a session class below, and the parser stays as it is.
PROMPTS = [("$ ", "shell")]


def prompt_kind(line: str):
    for prefix, kind in PROMPTS:
        if line.startswith(prefix):
            return prefix, kind
    return None


def parse_steps(lines: list[str], path: str, first_line: int) -> list[Step]:
    """Parses prompt lines and their expected output. `lines` carry no newlines; the first
    must be a prompt line (callers skip what comes before). Expected output ends at the first
    blank line, the next prompt line, or the end of `lines`."""
    steps: list[Step] = []
    i = 0
    while i < len(lines):
        found = prompt_kind(lines[i])
        if found is None:
            raise TranscriptError(path, first_line + i,
                                  f"expected a command line (`$ ...`), found {lines[i]!r}")
        prefix, kind = found
        start = i
        command_lines = [lines[i][len(prefix):]]
        # A trailing backslash continues the command on the next line, as in the shell.
        while command_lines[-1].endswith("\\") and i + 1 < len(lines):
            i += 1
            command_lines.append(lines[i])
        i += 1
        expected = []
        while i < len(lines) and lines[i] != "" and prompt_kind(lines[i]) is None:
            expected.append(lines[i])
            i += 1
        steps.append(Step(kind, "\n".join(command_lines), expected, path, first_line + start))
        while i < len(lines) and lines[i] == "":
            i += 1
    return steps


def parse_directive(text: str, path: str, line: int):
    """`transcript: WORD ARGS` -> (WORD, ARGS); None when `text` is not a directive."""
    text = text.strip()
    if not text.startswith(DIRECTIVE_PREFIX):
        return None
    words = text[len(DIRECTIVE_PREFIX):].strip()
    word, _, rest = words.partition(" ")
    if word not in ("requires", "skip", "setup", "instead"):
        raise TranscriptError(path, line, f"unknown directive {word!r}")
    return word, rest.strip()


def parse_t_file(path: str) -> Transcript:
    """A .t file: comments (`#`) and blank lines between records, records as above."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    items: list = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line == "":
            i += 1
            continue
        if line.startswith("#"):
            directive = parse_directive(line[1:], path, i + 1)
            if directive is not None:
                word, rest = directive
                if word != "requires" or not rest:
                    raise TranscriptError(
                        path, i + 1, "a .t file knows only `# transcript: requires PROGRAM...`")
                items.append(Requires(rest.split(), path, i + 1))
            i += 1
            continue
        if prompt_kind(line) is None:
            raise TranscriptError(
                path, i + 1, f"expected a command line (`$ ...`) or a comment, found {line!r} "
                "(a blank line ends a command's output; write an empty output line as "
                f"{BLANK_LINE})")
        # A record runs to the next blank line; parse_steps takes consecutive records too.
        j = i
        while j < len(lines) and lines[j] != "":
            j += 1
        items.extend(parse_steps(lines[i:j], path, i + 1))
        i = j
    return Transcript(path, items)


FENCE = re.compile(r"^(```+|~~~+)(.*)$")
HTML_COMMENT_START = "<!--"
HTML_COMMENT_END = "-->"


def parse_markdown(path: str) -> Transcript:
    """The transcript of a Markdown file: every fenced code block whose first line starts with
    `$ `, in order, as one session. An HTML comment `<!-- transcript: ... -->` directly before
    a block (blank lines between are fine) changes how it runs; a comment whose first line is
    `transcript: setup` holds a hidden block of its own."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    items: list = []
    pending = None  # (word, rest, line) of a directive waiting for its block
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith(HTML_COMMENT_START):
            start = i
            body = [stripped[len(HTML_COMMENT_START):]]
            while HTML_COMMENT_END not in body[-1]:
                i += 1
                if i == len(lines):
                    raise TranscriptError(path, start + 1, "HTML comment is not closed")
                body.append(lines[i])
            body[-1] = body[-1][:body[-1].index(HTML_COMMENT_END)]
            i += 1
            directive = parse_directive(body[0], path, start + 1)
            if directive is None:
                continue
            word, rest = directive
            if pending is not None:
                raise TranscriptError(path, pending[2], "directive without a code block after it")
            if word == "setup":
                # The block lives in the comment: the lines from the first prompt on, after a
                # first paragraph that says why.
                first = next((k for k, b in enumerate(body) if prompt_kind(b)), None)
                if first is None:
                    raise TranscriptError(path, start + 1, "setup comment holds no `$ ` command")
                block = body[first:]
                while block and block[-1].strip() == "":
                    block.pop()
                items.extend(parse_steps(block, path, start + 1 + first))
            elif word == "requires":
                if not rest:
                    raise TranscriptError(path, start + 1, "requires needs program names")
                items.append(Requires(rest.split(), path, start + 1))
            else:
                if word == "skip" and len(body) < 2 and not rest:
                    raise TranscriptError(path, start + 1, "say why a block is skipped")
                if word == "instead" and not rest:
                    raise TranscriptError(path, start + 1, "instead needs the command to run")
                pending = (word, rest, start + 1)
            continue
        fence = FENCE.match(stripped)
        if fence:
            marker = fence.group(1)
            start = i
            i += 1
            block = []
            while i < len(lines) and not lines[i].strip().startswith(marker):
                block.append(lines[i])
                i += 1
            if i == len(lines):
                raise TranscriptError(path, start + 1, "code block is not closed")
            i += 1
            is_transcript = bool(block) and prompt_kind(block[0]) is not None
            if pending is not None and not is_transcript:
                raise TranscriptError(path, pending[2],
                                      "directive before a block that is no transcript")
            if not is_transcript:
                continue
            while block and block[-1] == "":
                block.pop()
            steps = parse_steps(block, path, start + 2)
            if pending is not None:
                word, rest, where = pending
                pending = None
                if word == "skip":
                    continue
                if len(steps) != 1:
                    raise TranscriptError(path, where, "instead applies to a one-command block")
                steps[0].written = steps[0].command
                steps[0].command = rest
            items.extend(steps)
            continue
        if pending is not None and stripped != "":
            raise TranscriptError(path, pending[2], "directive not directly before a code block")
        i += 1
    if pending is not None:
        raise TranscriptError(path, pending[2], "directive without a code block after it")
    return Transcript(path, items)


# --- Matching. ------------------------------------------------------------------------------


def line_pattern(expected: str):
    """A regular expression for one expected line: `...` matches any text within the line."""
    if expected == BLANK_LINE:
        return re.compile("")
    return re.compile(".*".join(re.escape(part) for part in expected.split(ELLIPSIS)))


def line_matches(pattern, actual: str) -> bool:
    return pattern.fullmatch(actual) is not None


def align(expected: list[str], actual: list[str]):
    """The best alignment of expected lines (patterns) and actual lines: (ok, lines), lines a
    list of (tag, text) with tag ' ' matched, '-' expected but not printed, '+' printed but not
    expected; ok when every line matched. A line of only `...` takes any number of actual
    lines. Dynamic programming over (expected, actual) positions, fewest unmatched lines
    first; outputs are small."""
    n, m = len(expected), len(actual)
    patterns = [None if e == ELLIPSIS else line_pattern(e) for e in expected]
    matches = [[p is not None and line_matches(p, a) for a in actual] for p in patterns]
    # cost[i][j]: fewest unmatched lines when aligning expected[i:] with actual[j:].
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for j in range(m - 1, -1, -1):
        cost[n][j] = cost[n][j + 1] + 1
    for i in range(n - 1, -1, -1):
        cost[i][m] = cost[i + 1][m] + (0 if patterns[i] is None else 1)
        for j in range(m - 1, -1, -1):
            if patterns[i] is None:  # end the ellipsis here, or let it take actual[j]
                cost[i][j] = min(cost[i + 1][j], cost[i][j + 1])
                continue
            best = min(cost[i + 1][j], cost[i][j + 1]) + 1
            if matches[i][j]:
                best = min(best, cost[i + 1][j + 1])
            cost[i][j] = best
    out = []
    i = j = 0
    while i < n or j < m:
        if i < n and patterns[i] is None:
            if j < m and cost[i][j] == cost[i][j + 1]:
                out.append((" ", actual[j]))
                j += 1
            else:
                i += 1
        elif i < n and j < m and matches[i][j] and cost[i][j] == cost[i + 1][j + 1]:
            out.append((" ", actual[j]))
            i += 1
            j += 1
        elif i < n and cost[i][j] == cost[i + 1][j] + 1:
            out.append(("-", expected[i]))
            i += 1
        else:
            out.append(("+", actual[j]))
            j += 1
    return cost[0][0] == 0, out


def output_lines(text: str) -> list[str]:
    """Output as lines. A final newline ends the last line; it does not start an empty one."""
    if text == "":
        return []
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def render_terminal(text: str) -> str:
    """What a terminal shows for bytes that may move the cursor within a line: `\\r` returns
    to the start of the line and later text overwrites; ESC[K erases to the end of the line.
    (Progress lines use both; other escape sequences stay as they are.)"""
    out = []
    for raw in text.split("\n"):
        line: list[str] = []
        col = 0
        k = 0
        while k < len(raw):
            if raw[k] == "\r":
                col = 0
                k += 1
            elif raw.startswith("\x1b[K", k):
                del line[col:]
                k += 3
            else:
                if col < len(line):
                    line[col] = raw[k]
                else:
                    line.append(raw[k])
                col += 1
                k += 1
        out.append("".join(line))
    return "\n".join(out)


# --- Sessions. ------------------------------------------------------------------------------


@dataclasses.dataclass
class Outcome:
    output: str  # stdout and stderr as the terminal showed them
    status: int | None  # the command's exit status; None when the session broke down
    problem: str = ""  # why the session broke down (timeout, shell exited)


class ShellSession:
    """One bash for the whole transcript, so `cd` and variables carry from command to command
    as in a terminal. Its stdout and stderr are one pseudo-terminal: programs line-buffer
    stdout as on a terminal, so stdout and stderr interleave as a user sees them. Commands
    read /dev/null, never the session's input."""

    def __init__(self, work_dir: str, bin_dir: str, strata: str, timeout: float):
        self.timeout = timeout
        self.nonce = os.urandom(8).hex()
        self.buffer = b""
        master, slave = os.openpty()
        # No output processing (no \n -> \r\n) and a fixed, wide window.
        tty.setraw(slave)
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
        env = {
            "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", work_dir),
            "LC_ALL": "C.UTF-8",
            "TERM": "dumb",
            "TMPDIR": os.environ.get("TMPDIR", "/tmp"),
        }
        self.proc = subprocess.Popen(
            ["bash", "--noprofile", "--norc"], stdin=subprocess.PIPE, stdout=slave,
            stderr=slave, cwd=work_dir, env=env, start_new_session=True)
        os.close(slave)
        self.master = master
        # README writes build/release/strata, run from the repository: a function of that
        # name (bash allows '/' in function names) keeps the directory itself empty. exec -a
        # gives the program the name as typed, as the shell would (usage lines show it).
        name = "build/release/strata"
        self._send(f"{name}() {{ (exec -a {name} {shlex.quote(strata)} \"$@\"); }}\n")

    def _send(self, text: str) -> None:
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def run(self, command: str) -> Outcome:
        check = subprocess.run(["bash", "-n", "-c", command], capture_output=True, text=True)
        if check.returncode != 0:
            # As a terminal shows it, status 2; the shell itself never saw the command.
            return Outcome(check.stderr, 2, "bash cannot parse the command")
        # The group reads /dev/null; then a marker with the status, which no program prints.
        self._send(f"{{ {command}\n}} </dev/null\nprintf '\\036{self.nonce} %d\\036' $?\n")
        marker = re.compile(rb"\x1e" + self.nonce.encode() + rb" (\d+)\x1e")
        deadline = time.monotonic() + self.timeout
        while True:
            found = marker.search(self.buffer)
            if found:
                raw = self.buffer[:found.start()]
                self.buffer = self.buffer[found.end():]
                return Outcome(self._text(raw), int(found.group(1)))
            left = deadline - time.monotonic()
            if left <= 0:
                return Outcome(self._text(self.buffer), None,
                               f"no end after {self.timeout:g} s (timeout)")
            ready, _, _ = select.select([self.master], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError as e:  # EIO: every writer closed the terminal
                if e.errno != errno.EIO:
                    raise
                chunk = b""
            if not chunk:
                return Outcome(self._text(self.buffer), None, "the shell exited")
            self.buffer += chunk

    @staticmethod
    def _text(raw: bytes) -> str:
        return render_terminal(raw.decode("utf-8", errors="backslashreplace"))

    def close(self) -> None:
        """Ends the shell and everything it started (background jobs too: same process group)."""
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        os.close(self.master)


SESSION_KINDS = {"shell": ShellSession}


# --- Running. -------------------------------------------------------------------------------


def report_failure(step: Step, outcome: Outcome, ok_lines: bool, diff) -> None:
    print(f"FAIL {step.where()}")
    print("command:")
    for line in step.command.split("\n"):
        print(f"  $ {line}")
    if step.written:
        print(f"  (run instead of `{step.written}`, as the transcript says)")
    if outcome.problem:
        print(f"problem: {outcome.problem}")
    elif outcome.status != 0:
        print(f"problem: exit status {outcome.status}; a command must exit 0 "
              "(end it with `; echo \"exit $?\"` to show a failure)")
    if not diff:
        print("output: none, as expected")
    elif ok_lines:
        print("output, as expected:")
    else:
        print("output (- expected, + actual):")
    for tag, text in diff:
        print(f"  {tag} {text}")
    print()


def run_transcript(transcript: Transcript, strata: str, timeout: float, keep: bool):
    """Runs one transcript in a fresh empty directory. Returns (status, message)."""
    root = tempfile.mkdtemp(prefix="strata-transcript-")
    bin_dir = os.path.join(root, "bin")
    work_dir = os.path.join(root, "work")
    os.mkdir(bin_dir)
    os.mkdir(work_dir)
    os.symlink(strata, os.path.join(bin_dir, "strata"))
    sessions = {}
    failures = 0
    steps_run = 0
    result = (EXIT_OK, "")
    try:
        for item in transcript.items:
            if isinstance(item, Requires):
                missing = [p for p in item.programs if shutil.which(p) is None]
                if missing:
                    result = (EXIT_SKIPPED, f"{item.path}:{item.line}: not installed: "
                              f"{' '.join(missing)}; stopped here")
                    break
                continue
            session = sessions.get(item.kind)
            if session is None:
                session = SESSION_KINDS[item.kind](work_dir, bin_dir, strata, timeout)
                sessions[item.kind] = session
            outcome = session.run(item.command)
            steps_run += 1
            ok_lines, diff = align(item.expected, output_lines(outcome.output))
            # <BLANKLINE> stands for an empty line in the diff too.
            diff = [(t, BLANK_LINE if (t != "-" and x == "") else x) for t, x in diff]
            if ok_lines and outcome.status == 0 and not outcome.problem:
                continue
            failures += 1
            report_failure(item, outcome, ok_lines, diff)
            if outcome.status is None:
                print(f"stopping {transcript.name}: the session cannot go on\n")
                break
    finally:
        for session in sessions.values():
            session.close()
        if keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    if failures:
        return EXIT_FAILED, f"{failures} of {steps_run} commands failed"
    return result[0], result[1] or f"{steps_run} commands"


def load(path: str) -> Transcript:
    if path.endswith(".md"):
        return parse_markdown(path)
    return parse_t_file(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--strata", required=True, help="the strata binary to test")
    parser.add_argument("--timeout", type=float, default=60,
                        help="seconds one command may take (default: %(default)s)")
    parser.add_argument("--keep", action="store_true",
                        help="keep each transcript's temporary directory and print its path")
    parser.add_argument("transcripts", nargs="+", help=".t or .md files")
    args = parser.parse_args()
    strata = os.path.abspath(args.strata)
    if not os.access(strata, os.X_OK):
        print(f"run.py: {strata} is not an executable", file=sys.stderr)
        return EXIT_USAGE
    try:
        transcripts = [load(p) for p in args.transcripts]
    except (OSError, TranscriptError) as e:
        print(f"run.py: {e}", file=sys.stderr)
        return EXIT_USAGE
    worst = EXIT_OK
    for t in transcripts:
        status, message = run_transcript(t, strata, args.timeout, args.keep)
        word = {EXIT_OK: "ok", EXIT_FAILED: "FAILED", EXIT_SKIPPED: "SKIPPED"}[status]
        print(f"{word} {t.name}: {message}")
        if status == EXIT_FAILED or (status == EXIT_SKIPPED and worst == EXIT_OK):
            worst = status
    return worst


if __name__ == "__main__":
    sys.exit(main())
