#!/usr/bin/env bash
# Benchmark of the access list (issue 10 §5): GET /api/accesses/accesses?limit=20 (count included) over >= 10,000
# access rows, called by a non-administrator whose access manages one hospital's subtree, against GET /api/health in
# the same run. Target: the list at >= 0.5x the health figure.
# Usage: docs/benchmarks/accesses-list.sh   (after `mvn -B install -DskipTests`; needs wrk, curl, psql)
# Env:   BENCH_PG       PostgreSQL server URL for a fresh database (default postgresql://postgres@127.0.0.1:5432)
#        ROWS           access rows to seed (default 10000)
#        DURATION       seconds per measured wrk run (default 30); WARMUP seconds (default 10); CONNECTIONS (16)
#        KEEP_DB=1      keep the seeded database afterwards (its name is printed), to EXPLAIN the list's statement
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/karyo-bench.XXXXXX)
port=${BENCH_HTTP_PORT:-18481}; ssh_port=${BENCH_SSH_PORT:-18401}
duration=${DURATION:-30}; warmup=${WARMUP:-10}; connections=${CONNECTIONS:-16}; rows=${ROWS:-10000}
pg=${BENCH_PG:-postgresql://postgres@127.0.0.1:5432}
db="karyo_bench_accesses_$$"
base="http://127.0.0.1:${port}/api"
cp -a "$top/karaf-assembly/target/assembly" "$work/karyo"
home="$work/karyo"
psql "$pg/postgres" -qc "CREATE DATABASE $db"
export KARYO_HTTP_PORT=$port KARYO_HTTP_HOST=127.0.0.1 KARYO_SSH_PORT=$ssh_port KARYO_PROFILE=dev
export KARYO_DB_URL="jdbc:postgresql://${pg#postgresql://*@}/$db" KARYO_DB_USER=${pg_user:-postgres} KARYO_DB_PASSWORD=${pg_password:-postgres}
unset KARYO_FEATURES
stop() {
    "$home/bin/stop" >/dev/null 2>&1 || true
    for _ in $(seq 1 120); do [ -f "$home/karaf.pid" ] && kill -0 "$(cat "$home/karaf.pid")" 2>/dev/null || break; sleep 0.5; done
}
drop() { [ "${KEEP_DB:-}" = 1 ] && echo "== kept database $db" || psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db" || true; }
trap 'stop; drop; rm -rf "$work"' EXIT
(cd "$home" && bin/karaf server >"$work/karaf.out" 2>&1 &)
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/health")" = 200 ]; do sleep 0.5; done
login() {
    curl -s "$base/auth/login" -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"$2\"}" \
        | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p'
}
until [ -n "$(login admin admin)" ]; do sleep 0.5; done
ADMIN=$(login admin admin)
api() {  # method path body -> response body
    curl -s -X "$1" "$base$2" -H 'Content-Type: application/json' -H "Authorization: Bearer $ADMIN" ${3:+-d "$3"}
}
id_of() { sed -n 's/^{"id":\([0-9]*\).*/\1/p'; }

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
echo "== seeding: 10 hospitals x 10 services under the root, $rows accesses of 2,000 users spread over the 111 nodes"
root=$(api GET "/accesses/perimeters?local_id=root" | sed -n 's/.*"results":\[{"id":\([0-9]*\).*/\1/p')
for h in $(seq 0 9); do
    hid=$(api POST /accesses/perimeters "{\"local_id\":\"h$h\",\"name\":\"Hospital $h\",\"type_source_value\":\"hospital\",\"parent_id\":$root}" | id_of)
    for s in $(seq 0 9); do
        api POST /accesses/perimeters "{\"local_id\":\"h$h-s$s\",\"name\":\"Service $h.$s\",\"type_source_value\":\"service\",\"parent_id\":$hid}" >/dev/null
    done
done
reader=$(api POST /accesses/roles '{"name":"Bench reader","rights":["accesses.read_patient_pseudonymized"]}' | id_of)
manager=$(api POST /accesses/roles '{"name":"Bench data manager","rights":["accesses.manage_users","accesses.manage_data_accesses_same_level","accesses.manage_data_accesses_inferior_levels"]}' | id_of)
password="Pw-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')-Zq7"
api POST /users "{\"username\":\"bench-manager\",\"firstname\":\"Bench\",\"lastname\":\"Manager\",\"password\":\"$password\"}" | head -c 120; echo
h3=$(api GET "/accesses/perimeters?local_id=h3" | sed -n 's/.*"results":\[{"id":\([0-9]*\).*/\1/p')
api POST /accesses/accesses "{\"username\":\"bench-manager\",\"role_id\":$manager,\"perimeter_id\":$h3}" | head -c 120; echo
psql "$pg/$db" -q <<SQL
INSERT INTO karyo_accesses.profiles (user_id, username, source, is_active)
SELECT 'bench-user-' || g, 'bench-user-' || g, 'Manual', true FROM generate_series(1, 2000) g;
WITH nodes AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM karyo_accesses.perimeters WHERE deleted_at IS NULL),
     profiles AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM karyo_accesses.profiles WHERE user_id LIKE 'bench-user-%')
INSERT INTO karyo_accesses.accesses (profile_id, role_id, perimeter_id, start_datetime, end_datetime, source, created_by, updated_by)
SELECT p.id, $reader, nd.id, now() - (g % 400) * interval '1 day', now() + (1 + g % 700) * interval '1 day', 'Manual', 'bench', 'bench'
  FROM generate_series(0, $rows - 1) g
  JOIN profiles p ON p.n = g % 2000
  JOIN nodes nd ON nd.n = g % (SELECT count(*) FROM nodes);
SQL
# what autovacuum does within a minute of such a bulk insert (its insert threshold): statistics, and the visibility map
# that lets the count read the index alone; VACUUM cannot run inside the transaction block above
psql "$pg/$db" -qc 'VACUUM ANALYZE karyo_accesses.accesses' -c 'VACUUM ANALYZE karyo_accesses.profiles'
echo "access rows: $(psql "$pg/$db" -Atc 'SELECT count(*) FROM karyo_accesses.accesses')"
TOKEN=$(login bench-manager "$password")
[ -n "$TOKEN" ] || { echo "bench-manager cannot log in" >&2; exit 1; }
list="$base/accesses/accesses?limit=20"
echo "== the caller's first page: $(curl -s -H "Authorization: Bearer $TOKEN" "$list" | head -c 160)"

echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== warm-up ${warmup}s each"
wrk -t1 -c"$connections" -d"${warmup}s" "$base/health" >/dev/null
wrk -t1 -c"$connections" -d"${warmup}s" -H "Authorization: Bearer $TOKEN" "$list" >/dev/null
echo "== GET /api/health, wrk -t1 -c$connections -d${duration}s"
wrk -t1 -c"$connections" -d"${duration}s" --latency "$base/health" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors"
echo "== GET /api/accesses/accesses?limit=20 as bench-manager, wrk -t1 -c$connections -d${duration}s"
wrk -t1 -c"$connections" -d"${duration}s" --latency -H "Authorization: Bearer $TOKEN" "$list" \
    | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
