// Checker: collects what a test script compared and what disagreed, prints a short summary
// and sets the exit code. Scripts keep going after a mismatch so one run shows every
// disagreement, not just the first.

// STRATA_INTEROP_VERBOSE=1 prints every mismatch.
const kMaxPrinted = process.env.STRATA_INTEROP_VERBOSE ? Infinity : 40;

export class Checker {
  constructor(name) {
    this.name = name;
    this.failures = [];
    this.counts = new Map(); // what was checked -> how many times
    this.notes = [];
  }

  // Records that `n` checks of kind `what` ran (for the summary).
  count(what, n = 1) {
    this.counts.set(what, (this.counts.get(what) ?? 0) + n);
  }

  // A limitation of a peer that a check works around, printed once in the summary.
  note(text) {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  fail(message) {
    if (this.failures.length < kMaxPrinted) console.error(`MISMATCH ${message}`);
    this.failures.push(message);
  }

  // Strict equality of two plain values (strings, numbers, booleans, null).
  equal(actual, expected, what) {
    this.count('fields compared');
    if (actual !== expected) {
      this.fail(`${what}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
      return false;
    }
    return true;
  }

  // True if cond; otherwise a failure with the message.
  ok(cond, message) {
    if (!cond) this.fail(message);
    return cond;
  }

  // Prints the summary and sets process.exitCode: 0 when nothing disagreed.
  finish() {
    console.log(`${this.name}: checked`);
    for (const [what, n] of this.counts) console.log(`  ${String(n).padStart(8)}  ${what}`);
    for (const note of this.notes) console.log(`  note: ${note}`);
    if (this.failures.length > 0) {
      if (this.failures.length > kMaxPrinted) {
        console.error(`... and ${this.failures.length - kMaxPrinted} more mismatches`);
      }
      console.error(`${this.name}: FAILED with ${this.failures.length} mismatches`);
      process.exitCode = 1;
    } else {
      console.log(`${this.name}: all checks passed`);
    }
  }
}

// Runs main, turning an exception into a failed test with its message (not a stack dump
// only a node developer can read).
export async function runMain(name, main) {
  try {
    await main();
  } catch (err) {
    console.error(`${name}: ERROR ${err?.stack ?? err}`);
    process.exitCode = 1;
  }
}
