# bench/pg-callgrind.sh -- sourced by the benches that count a private
# PostgreSQL server's instructions (store-pg-instr.sh, store-pg-gin-floor.sh):
#
#   pgcg_start NAME PORT   a temporary folder D (/tmp/sitrep-NAME.*), a new
#                          cluster in D/data (user sitrep, trust), its server
#                          on a Unix socket in D run under callgrind with
#                          --trace-children (each process's file in D/cg),
#                          autovacuum off; waits until it answers; stopped and
#                          D removed on exit.  Sets D, PGBIN, AS (the command
#                          prefix that runs as postgres when we are root).
#   pgcg_start NAME PORT DATA   the same on the stopped cluster of folder
#                          DATA (no initdb; stopped with -m fast, kept)
#   pgcg_settle            waits until no server process has ended for 2 s:
#                          a process writes its file as it exits, which under
#                          valgrind and load may come seconds after its
#                          client returned
#   pgcg_own FILE...       the processes' own work in millions: PostgresMain
#                          inclusive (a file also holds what the postmaster
#                          did before forking, about 44 M, not that process's)
pgcg_start() {
  local name=$1 port=$2
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$PGBIN/postgres" ] || { echo "no PostgreSQL server (tools/install-deps)"; exit 1; }
  command -v valgrind > /dev/null || { echo "no valgrind (tools/install-deps)"; exit 1; }
  D=$(mktemp -d "/tmp/sitrep-$name.XXXXXX")
  chmod 755 "$D"
  AS=()
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$D"; AS=(runuser -u postgres --); fi
  PGCG_VPID=
  PGCG_DATA=$D/data PGCG_STOP=immediate
  if [ -n "${3:-}" ]; then
    PGCG_DATA=$(realpath "$3") PGCG_STOP=fast
    [ -f "$PGCG_DATA/PG_VERSION" ] || { echo "no cluster in $PGCG_DATA" >&2; exit 1; }
    [ ! -f "$PGCG_DATA/postmaster.pid" ] || { echo "the server of $PGCG_DATA runs: stop it first" >&2; exit 1; }
  fi
  trap '[ -n "$PGCG_VPID" ] && { "${AS[@]}" "$PGBIN/pg_ctl" -D "$PGCG_DATA" -m "$PGCG_STOP" -w stop > /dev/null 2>&1; wait "$PGCG_VPID"; }; rm -rf "$D"' EXIT
  [ -n "${3:-}" ] || "${AS[@]}" "$PGBIN/initdb" -D "$D/data" -U sitrep --auth=trust --no-locale -E UTF8 > "$D/initdb.log" 2>&1
  "${AS[@]}" mkdir "$D/cg"
  "${AS[@]}" valgrind --tool=callgrind --trace-children=yes --callgrind-out-file="$D/cg/cg.%p" \
    "$PGBIN/postgres" -D "$PGCG_DATA" -k "$D" -p "$port" -c listen_addresses='' -c autovacuum=off \
    -c shared_buffers=256MB -c max_wal_size=4GB -c synchronous_commit=off > "$D/server.log" 2>&1 &
  PGCG_VPID=$!
  local _
  for _ in $(seq 600); do
    "$PGBIN/psql" -X -q -h "$D" -p "$port" -U sitrep -d postgres -c "SELECT 1" > /dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "the private server did not answer (see $D/server.log)" >&2; tail -n 5 "$D/server.log" >&2; exit 1
}
pgcg_settle() {
  local a b=-1
  a=$(ls "$D/cg" | wc -l)
  while [ "$a" != "$b" ]; do b=$a; sleep 2; a=$(ls "$D/cg" | wc -l); done
}
pgcg_own() {
  local t=0 f v
  for f in "$@"; do
    # (awk reads to the end: leaving early would kill callgrind_annotate
    # by SIGPIPE on a long profile, a failure under pipefail)
    v=$(callgrind_annotate --inclusive=yes "$f" 2> /dev/null |
        awk '/:PostgresMain / && !n { gsub(",", "", $1); print $1; n = 1 }')
    [ -n "$v" ] || { echo "no PostgresMain in $f" >&2; exit 1; }
    t=$((t + v))
  done
  echo $((t / 1000000))
}
