# Shared by the comparison scripts (sourced, not run).

# machine_line: cores, CPU model, memory and the UTC time, for the head of a report.
machine_line() {
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
       "$(free -g | awk '/^Mem:/ {print $2}') GiB, $(date -u '+%F %H:%M') UTC"
}

# ensure_big_rdb PATH REGEN: makes the benchmark RDB at PATH (make_big_rdb.sh) if it is
# missing, or anew if REGEN is 1.
ensure_big_rdb() {
  if [ "$2" = 1 ] || [ ! -f "$1" ]; then
    mkdir -p "$(dirname "$1")"
    bench/compare/make_big_rdb.sh "$1"
  fi
}
