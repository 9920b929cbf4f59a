#!/usr/bin/env bash
# Every command and subcommand answers --help: exit 0, a usage line that names it, and its
# options, each value option with its default (`--records UINT=1000000`) unless it is
# REQUIRED or has none, and then its help says what leaving it out does ("Empty: ...",
# "default: ..."). The commands come from the CLI itself: the walk starts at `strata --help`
# and follows every name listed under "Subcommands:", so a new command is checked the day it
# is added. --version works; no subcommand, or an unknown one, is a usage error.
set -euo pipefail
strata=$1
fail() { echo "FAIL: $*"; exit 1; }

grep -qE '^strata [0-9]+\.[0-9]+\.[0-9]+$' <<<"$("$strata" --version)" || fail "--version"

visited=()

# Checks one option entry of `strata $path --help`: $1 the option's spec column (names, type,
# default, REQUIRED), $2 its description.
check_option() {
  local path=$1 spec=$2 help=$3
  # A flag has no type word after its names; it defaults to off, or its help says otherwise.
  [[ $spec == *" "* ]] || return 0
  [[ $spec == *=* || $spec == *REQUIRED* ]] && return 0
  grep -qiE '(default|empty): ' <<<"$help" && return 0
  fail "strata $path: option '$spec' shows no default and does not say what leaving it out does"
}

check_command() {
  local path="$*" help line section="" spec="" subcommands=()
  visited+=("$path")
  help=$("$strata" "$@" --help) || fail "strata $path --help exited non-zero"
  # CLI11 prints argv[0] as given; the usage line names the command's full path.
  grep -qE "^Usage: [^ ]*strata${path:+ $path}( |$)" <<<"$help" \
    || fail "strata $path --help has no usage line naming it: $help"
  while IFS= read -r line; do
    case "$line" in
      "Options:" | "Positionals:") section=options; continue ;;
      "Subcommands:") section=subcommands; continue ;;
      "") section=""; continue ;;
    esac
    case "$section" in
      options)
        # "  SPEC  DESCRIPTION", or SPEC alone when it is too wide and the description
        # follows on the next, deeper-indented line.
        if [[ $line =~ ^\ \ (([^ ]|\ [^ ])+)\ \ +(.*)$ && -z $spec ]]; then
          check_option "$path" "${BASH_REMATCH[1]}" "${BASH_REMATCH[3]}"
        elif [[ $line =~ ^\ \ (([^ ]|\ [^ ])+)$ ]]; then
          spec=${BASH_REMATCH[1]}
        elif [[ -n $spec && $line =~ ^\ +(.*)$ ]]; then
          check_option "$path" "$spec" "${BASH_REMATCH[1]}"
          spec=""
        else
          fail "strata $path --help: cannot read the option line '$line'"
        fi
        ;;
      subcommands)
        [[ $line =~ ^\ \ ([a-z][a-z0-9-]*)\ \ + ]] \
          || fail "strata $path --help: cannot read the subcommand line '$line'"
        subcommands+=("${BASH_REMATCH[1]}")
        ;;
    esac
  done <<<"$help"
  local sub
  for sub in "${subcommands[@]}"; do
    # shellcheck disable=SC2086  # $path is words of the command path
    check_command $path "$sub"
  done
}

check_command

# The walk must have gone everywhere: a help format it cannot read would otherwise pass with
# few commands. These are the deepest and the most recently forgotten ones.
listed=$(printf '%s\n' "${visited[@]}")
for must in "wal verify" "bench parquet" "rdb check" "rdb top" "rdb prefixes" \
            "rdb dump from-file" "rdb dump into-parquet" "rdb report from-parquet"; do
  grep -qxF "$must" <<<"$listed" || fail "the walk did not reach '$must'"
done

# Defaults are shown next to options (CLI11's default column, not the description).
grep -qE -- '--records UINT=1000000 ' <<<"$("$strata" bench wal --help)" \
  || fail "bench wal --records default"
grep -qE -- '--sync TEXT=none ' <<<"$("$strata" bench wal --help)" || fail "bench wal --sync default"
grep -qE -- '--dir TEXT=strata-data ' <<<"$("$strata" demo --help)" || fail "demo --dir default"
grep -qE -- '--mode TEXT=absolute_consistency ' <<<"$("$strata" wal verify --help)" \
  || fail "verify --mode default"

# No subcommand, or an unknown one, is a usage error.
if "$strata" >/dev/null 2>&1; then fail "no subcommand should fail"; fi
if "$strata" frobnicate >/dev/null 2>&1; then fail "unknown subcommand should fail"; fi
echo "help and version: ${#visited[@]} commands, ok"
