# shellcheck shell=bash
# Shared by the CLI tests against S3 (sourced, not run; it sources obj_test_lib.sh): the aws
# command as the peer, credentials from the environment only, and the S3 endpoint:
# STRATA_TEST_S3_ENDPOINT (an S3 endpoint with a fresh account), or else a moto_server started
# here on a loopback port it picks itself. Needs $tmp, a scratch directory; the test's exit trap
# calls stop_s3.
# shellcheck disable=SC2154,SC2034  # tmp is set by the test that sources this, endpoint read by it

# shellcheck source=obj_test_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/obj_test_lib.sh"
skip() { echo "SKIP: $*"; exit 77; }
find_tool() {  # find_tool VAR NAME: $VAR, else NAME on PATH, else ~/.pyenv/shims/NAME
  local given=${!1:-}
  if [ -n "$given" ]; then echo "$given"; return; fi
  command -v "$2" 2>/dev/null || { [ -x "$HOME/.pyenv/shims/$2" ] && echo "$HOME/.pyenv/shims/$2"; } || true
}
# The aws command: $AWS_CLI, else Debian's awscli v2 (/usr/bin/aws: it starts in a fraction of
# the time a pyenv shim takes), else aws on PATH or in ~/.pyenv/shims. Empty when there is none.
find_aws() {
  if [ -z "${AWS_CLI:-}" ] && [ -x /usr/bin/aws ]; then echo /usr/bin/aws; return; fi
  find_tool AWS_CLI aws
}

# Credentials and region from the environment only: no profile of the machine is read.
s3_isolate_env() {
  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
  export AWS_CONFIG_FILE=$tmp/no-config AWS_SHARED_CREDENTIALS_FILE=$tmp/no-credentials
  unset AWS_PROFILE AWS_SESSION_TOKEN AWS_REGION AWS_ENDPOINT_URL AWS_ENDPOINT_URL_S3
}

moto_pid=""
endpoint=""
# Sets $endpoint; skips (77) when there is no endpoint and no moto_server (MOTO_SERVER, PATH,
# ~/.pyenv/shims). moto binds port 0 and its log names the port it got, so no other process can
# take the port in between.
start_s3() {
  if [ -n "${STRATA_TEST_S3_ENDPOINT:-}" ]; then
    endpoint=$STRATA_TEST_S3_ENDPOINT
    return
  fi
  local moto port=""
  moto=$(find_tool MOTO_SERVER moto_server)
  [ -n "$moto" ] || skip "moto_server is not installed (pip install 'moto[server]')"
  "$moto" -H 127.0.0.1 -p 0 >"$tmp/moto.log" 2>&1 &
  moto_pid=$!
  for _ in $(seq 1 300); do
    port=$(sed -n 's|.*Running on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$tmp/moto.log" | head -1)
    if [ -n "$port" ] && curl -s -o /dev/null "http://127.0.0.1:$port/"; then break; fi
    kill -0 "$moto_pid" 2>/dev/null || fail "moto_server exited: $(cat "$tmp/moto.log")"
    port=""
    sleep 0.1
  done
  [ -n "$port" ] || fail "moto_server not ready after 30 s: $(cat "$tmp/moto.log")"
  endpoint=http://127.0.0.1:$port
}
stop_s3() {
  if [ -n "$moto_pid" ]; then kill "$moto_pid" 2>/dev/null || true; wait "$moto_pid" 2>/dev/null || true; fi
  moto_pid=""
}
# The end of moto's log, for fail_context.
s3_log_tail() { if [ -f "$tmp/moto.log" ]; then tail -20 "$tmp/moto.log"; fi; }
# What fail prints after its message (a test may define its own).
fail_context() { s3_log_tail; }
