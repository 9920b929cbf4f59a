# The strata command itself: its version and its usage errors. Usage errors come from CLI11
# with CLI11's exit codes: 106 when a required subcommand or argument is missing.

$ strata --version
strata 0.1.0
$ strata --help | head -2
Strata: a storage system built on sorted runs and merging them.
Usage: strata [OPTIONS] SUBCOMMAND

# README runs the binary as build/release/strata; usage lines name it as it was called.
$ build/release/strata --help | sed -n 2p
Usage: build/release/strata [OPTIONS] SUBCOMMAND

$ strata; echo "exit $?"
A subcommand is required
Run with --help for more information.
exit 106

# An unknown command or option before any subcommand gets the same message: CLI11 checks for
# the missing subcommand first.
$ strata frobnicate; echo "exit $?"
A subcommand is required
Run with --help for more information.
exit 106
$ strata --frobnicate; echo "exit $?"
A subcommand is required
Run with --help for more information.
exit 106

# None of this wrote anything.
$ ls -A
