# shellcheck shell=bash
# Shared by the strata obj tests and the other CLI tests against S3 (sourced, not run). Needs
# $tmp, a scratch directory.
# shellcheck disable=SC2154  # tmp is set by the test that sources this

# fail MESSAGE: ends the test; a test may define fail_context to print more (a server's log).
fail() {
  echo "FAIL: $*"
  if declare -F fail_context >/dev/null; then fail_context; fi
  exit 1
}
# expect_file FILE WHAT: FILE must hold the text given on stdin, byte for byte.
expect_file() {
  local got=$1 what=$2
  cat >"$tmp/expected"
  diff -u "$tmp/expected" "$got" || fail "$what differs from the expected output"
}
# expect_exit CODE NEEDLE CMD...: CMD must exit CODE with a "strata obj " message naming NEEDLE.
# Its output stays in $tmp/stdout and $tmp/stderr.
expect_exit() {
  local code=$1 needle=$2
  shift 2
  local rc=0
  "$@" >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
  [ "$rc" = "$code" ] || fail "$* exited $rc, not $code: $(cat "$tmp/stderr")"
  grep -q '^strata obj ' "$tmp/stderr" || fail "$*: no 'strata obj ' prefix: $(cat "$tmp/stderr")"
  grep -qF -- "$needle" "$tmp/stderr" || fail "$*: message does not name $needle: $(cat "$tmp/stderr")"
}
