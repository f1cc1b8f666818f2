#!/usr/bin/env bash
# Benchmarks of identity and access control (issue 3): login throughput, and the cost of authenticating and
# authorising a GET (the same endpoint called without credentials, where the security extension does no identity work,
# versus with a bearer token: JWT verification + rights resolution + the right check).
# Usage: docs/benchmarks/auth.sh     (after `mvn -B install -DskipTests`; needs wrk and curl)
# Env:   DURATION  seconds per wrk run (default 20)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/karyo-bench.XXXXXX)
port=${BENCH_HTTP_PORT:-18481}; ssh_port=${BENCH_SSH_PORT:-18401}; pg_port=${BENCH_PG_PORT:-18432}
duration=${DURATION:-20}
base="http://127.0.0.1:${port}/api"
cp -a "$top/karaf-assembly/target/assembly" "$work/karyo"
home="$work/karyo"
export KARYO_HTTP_PORT=$port KARYO_HTTP_HOST=127.0.0.1 KARYO_SSH_PORT=$ssh_port KARYO_DB_EMBEDDED_PORT=$pg_port KARYO_PROFILE=dev
unset KARYO_FEATURES
stop() {
    "$home/bin/stop" >/dev/null 2>&1 || true
    for _ in $(seq 1 120); do [ -f "$home/karaf.pid" ] && kill -0 "$(cat "$home/karaf.pid")" 2>/dev/null || break; sleep 0.5; done
}
trap 'stop; rm -rf "$work"' EXIT
(cd "$home" && bin/karaf server >"$work/karaf.out" 2>&1 &)
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/health")" = 200 ]; do sleep 0.5; done
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/auth/login" -H 'Content-Type: application/json' \
    -d '{"username":"admin","password":"admin"}')" = 200 ]; do sleep 0.5; done
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
TOKEN=$(curl -s "$base/auth/login" -H 'Content-Type: application/json' -d '{"username":"admin","password":"admin"}' \
    | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
for i in $(seq 1 100); do
    curl -s -o /dev/null -X POST "$base/webcontent/contents" -H 'Content-Type: application/json' \
        -H "Authorization: Bearer $TOKEN" -d "{\"title\":\"Banner $i\",\"content\":\"c $i\",\"content_type\":\"RELEASE_NOTE\"}"
done

cat > "$work/login.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"username":"admin","password":"admin"}'
LUA
echo "== warm-up"
wrk -t1 -c8 -d10s -s "$work/login.lua" "$base/auth/login" >/dev/null
wrk -t1 -c16 -d10s "$base/webcontent/contents?limit=20" >/dev/null
wrk -t1 -c16 -d10s -H "Authorization: Bearer $TOKEN" "$base/webcontent/contents?limit=20" >/dev/null
for c in 8 32; do
    echo "== POST /api/auth/login (Argon2id m=19456 KiB t=2 p=1, RS256 signing, audit entry), wrk -t1 -c$c -d${duration}s"
    wrk -t1 -c"$c" -d"${duration}s" --latency -s "$work/login.lua" "$base/auth/login" | grep -E "Requests/sec|Latency |50%|99%|Non-2xx"
done
for round in 1 2; do
    echo "== GET /api/webcontent/contents?limit=20 without credentials (round $round), wrk -t1 -c16 -d${duration}s"
    wrk -t1 -c16 -d"${duration}s" --latency "$base/webcontent/contents?limit=20" | grep -E "Requests/sec|50%|99%|Non-2xx"
    echo "== the same GET as the administrator (JWT + rights), round $round"
    wrk -t1 -c16 -d"${duration}s" --latency -H "Authorization: Bearer $TOKEN" "$base/webcontent/contents?limit=20" \
        | grep -E "Requests/sec|50%|99%|Non-2xx"
done
