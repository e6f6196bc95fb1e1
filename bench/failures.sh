# bench/failures.sh -- sourced by the benches: a timed command that failed
# is reported (the command, its exit status, the last lines of its stderr)
# and remembered, and the bench ends non-zero, so that a failed run is
# never counted as a fast one.  Remembered in a file named after the
# bench's process ($$ is the same in its subshells), so that a failure
# inside $(...) or <(...) counts too; the file exists only once a command
# has failed.
#
#   bench_fail STATUS STDERR-FILE COMMAND...   report one failure
#   bench_failures_end NAME                    exit 1 if any was reported
bench_failures_file=${TMPDIR:-/tmp}/sitrep-bench-failed.$$
rm -f "$bench_failures_file"

bench_fail() {
  local st=$1 ef=$2; shift 2
  {
    echo "FAILED (exit status $st): $*"
    if [ -s "$ef" ]; then tail -n 5 "$ef" | sed 's/^/  | /'; fi
  } >&2
  echo "$st $*" >> "$bench_failures_file"
}

bench_failures_end() {
  local n=0
  if [ -f "$bench_failures_file" ]; then n=$(wc -l < "$bench_failures_file"); fi
  rm -f "$bench_failures_file"
  if [ "$n" -gt 0 ]; then
    echo "$1: $n timed command(s) failed (above): their figures are not valid" >&2
    exit 1
  fi
}
