#!/usr/bin/env bash
# bench/store-pg-gin-floor.sh BIN CORPUS -- what a full-text index made of
# PostgreSQL's tsvector costs the server, in instructions, by the size of
# its rows: the tsvectors of the unique reports of CORPUS (as `sitrep
# ingest` writes them, one a sentence) and the same words grouped without
# positions into one tsvector a report, a run of 64 and a run of 256
# reports (a batch of ingest).  Each set of rows is loaded by binary COPY
# into a table of its own in a private server run under callgrind
# (--trace-children, autovacuum off), and the loading backend is counted
# (PostgresMain, inclusive, as bench/store-pg-instr.sh counts a server
# process): the rows alone; the rows under a GIN index fed through its
# pending list, then merged (gin_clean_pending_list), as ingest feeds it;
# the rows loaded, then a GIN made by CREATE INDEX (built in one pass); the
# sentences with the server's English stop words out of their GIN; the
# sentences under a GiST index; last, an index that is not PostgreSQL's
# full-text search, a row per word and run of reports (its sentence ids)
# under a B-tree.  The index's cost is each figure less the rows alone.  Issue 18's goal for PostgreSQL (ingest <= 2x extract, index
# included) leaves about 250 M for the index on the 25 MB corpus's 1,157
# reports (bench/store-pg-instr.sh: 2,666 M with no index, 2x extract is
# about 2,908 M).  Takes several minutes (valgrind).
set -euo pipefail
# called by bench/run as BIN SHARED CORPUS_100MB CORPUS_25MB: the 25 MB one
BIN=$(realpath "$1"); CORPUS=$(realpath "${4:-$2}")
cd "$(dirname "$0")/.."
. bench/pg-callgrind.sh
pgcg_start pgfloor 5497
python3 bench/unique-reports "$CORPUS" "$D/unique.jsonl"
P() { PGOPTIONS="-c client_min_messages=warning" "$PGBIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 \
        -h "$D" -p 5497 -U sitrep -d "$@"; }
# P, then wait for its backend's callgrind file: a backend writes it when
# it exits, after psql has returned, and the next measure must not count it
PW() {
  local n0 n
  n0=$(ls "$D/cg" | wc -l)
  P "$@"
  for _ in $(seq 600); do
    n=$(ls "$D/cg" | wc -l)
    [ "$n" -gt "$n0" ] && return 0
    sleep 0.2
  done
  echo "no callgrind file from the backend of: $*" >&2; exit 1
}
PW postgres -c "CREATE DATABASE ing" -c "CREATE DATABASE floor"
st=0
"$BIN" ingest --quiet --no-fuse --db "host=$D port=5497 user=sitrep dbname=ing" "$D/unique.jsonl" \
  > /dev/null 2> "$D/err" || st=$?
if [ "$st" -ne 0 ]; then echo "FAILED (exit $st): $BIN ingest" >&2; tail -n 5 "$D/err" >&2; exit 1; fi
# the rows of each granularity, in COPY's binary form (b, tsv)
group() {  # $1 name, $2 the group of a sentence
  PW ing -c "\\copy (SELECT $2 AS b, array_to_tsvector(array_agg(DISTINCT u.lexeme)) FROM sentences s, unnest(s.tsv) u GROUP BY 1 ORDER BY 1) TO '$D/$1.bin' (FORMAT binary)"
}
PW ing -c "\\copy (SELECT id, tsv FROM sentences ORDER BY id) TO '$D/sentence.bin' (FORMAT binary)"
group report "s.doc_id"
group run64 "(s.doc_id - 1) / 64"
group run256 "(s.doc_id - 1) / 256"
# measure NAME SQL...: the instructions of one backend running the SQL
measure() {
  local name=$1 f n; shift
  pgcg_settle
  ls "$D/cg" > "$D/l0"
  PW floor "$@" > /dev/null
  ls "$D/cg" > "$D/l1"
  n=0
  for f in $(comm -13 "$D/l0" "$D/l1"); do n=$((n + $(pgcg_own "$D/cg/$f"))); done
  echo "$n"
}
printf '%-9s %8s %9s %14s %14s %14s\n' rows rows entries "rows only (M)" "GIN pending" "CREATE INDEX"
for g in sentence report run64 run256; do
  rows=$(PW floor -c "CREATE TABLE cnt_$g(b bigint, tsv tsvector)" -c "\\copy cnt_$g FROM '$D/$g.bin' (FORMAT binary)" \
           -c "SELECT count(*) || ' ' || sum(length(tsv)) FROM cnt_$g")
  heap=$(measure "$g" -c "CREATE TABLE h_$g(b bigint, tsv tsvector)" -c "\\copy h_$g FROM '$D/$g.bin' (FORMAT binary)")
  pend=$(measure "$g" -c "CREATE TABLE p_$g(b bigint, tsv tsvector)" -c "CREATE INDEX p_${g}_i ON p_$g USING gin(tsv)" \
           -c "\\copy p_$g FROM '$D/$g.bin' (FORMAT binary)" -c "SELECT gin_clean_pending_list('p_${g}_i'::regclass)")
  made=$(measure "$g" -c "CREATE TABLE c_$g(b bigint, tsv tsvector)" -c "\\copy c_$g FROM '$D/$g.bin' (FORMAT binary)" \
           -c "CREATE INDEX c_${g}_i ON c_$g USING gin(tsv)")
  printf '%-9s %8s %9s %14s %14s %14s\n' "$g" ${rows% *} ${rows#* } "$heap" "$pend (+$((pend - heap)))" "$made (+$((made - heap)))"
done
# the sentences with the commonest words out of the index: the server's
# own English stop words (its tsearch_data/english.stop, 127 words) weighted
# D by setweight, the others A, under a GIN over ts_filter(tsv, '{a}') fed
# through its pending list (a search would match the rest on the indexed
# words, then recheck the whole tsvector)
SW=/usr/share/postgresql/$(basename "$(dirname "$PGBIN")")/tsearch_data/english.stop
[ -r "$SW" ] || { echo "no $SW (the server's stop words)" >&2; exit 1; }
PW ing -c "\\copy (SELECT id, setweight(setweight(tsv, 'A'), 'D', '{$(paste -sd, "$SW")}') FROM sentences ORDER BY id) TO '$D/stop.bin' (FORMAT binary)"
rows=$(PW floor -c "CREATE TABLE cnt_stop(b bigint, tsv tsvector)" -c "\\copy cnt_stop FROM '$D/stop.bin' (FORMAT binary)" \
         -c "SELECT count(*) || ' ' || sum(length(ts_filter(tsv, '{a}'))) FROM cnt_stop")
heap=$(measure stop -c "CREATE TABLE h_stop(b bigint, tsv tsvector)" -c "\\copy h_stop FROM '$D/stop.bin' (FORMAT binary)")
pend=$(measure stop -c "CREATE TABLE p_stop(b bigint, tsv tsvector)" \
         -c "CREATE INDEX p_stop_i ON p_stop USING gin(ts_filter(tsv, '{a}'))" \
         -c "\\copy p_stop FROM '$D/stop.bin' (FORMAT binary)" -c "SELECT gin_clean_pending_list('p_stop_i'::regclass)")
printf '%-9s %8s %9s %14s %14s\n' "sentence, stop words out" ${rows% *} ${rows#* } "$heap" "$pend (+$((pend - heap)))"
gist=$(measure gist -c "CREATE TABLE g_s(b bigint, tsv tsvector)" -c "CREATE INDEX g_s_i ON g_s USING gist(tsv)" \
         -c "\\copy g_s FROM '$D/sentence.bin' (FORMAT binary)")
echo "sentences under a GiST index instead: $gist M"
# an index of sitrep's own instead (not PostgreSQL's full-text search):
# a row per word and run of reports with the ids of the run's sentences
# that hold it, under a B-tree on (word, run)
for k in 64 256; do
  PW ing -c "\\copy (SELECT u.lexeme, (s.doc_id - 1) / $k, array_agg(s.id ORDER BY s.id) FROM sentences s, unnest(s.tsv) u GROUP BY 1, 2 ORDER BY 2, 1) TO '$D/words$k.bin' (FORMAT binary)"
  nw=$(PW floor -c "CREATE TABLE cnt_w$k(word text COLLATE \"C\", run bigint, ids bigint[])" \
         -c "\\copy cnt_w$k FROM '$D/words$k.bin' (FORMAT binary)" -c "SELECT count(*) FROM cnt_w$k")
  heap=$(measure w -c "CREATE TABLE hw$k(word text COLLATE \"C\", run bigint, ids bigint[])" \
           -c "\\copy hw$k FROM '$D/words$k.bin' (FORMAT binary)")
  tree=$(measure w -c "CREATE TABLE bw$k(word text COLLATE \"C\", run bigint, ids bigint[])" \
           -c "CREATE INDEX bw${k}_i ON bw$k(word, run)" -c "\\copy bw$k FROM '$D/words$k.bin' (FORMAT binary)")
  echo "own index, a row per word and run of $k reports: $nw rows: $heap M, with a B-tree on (word, run) $tree M"
done
