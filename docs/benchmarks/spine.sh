#!/usr/bin/env bash
# Benchmarks of the platform spine (issue: boot-to-ready, module install, content GET/POST throughput).
# Usage: docs/benchmarks/spine.sh            (after `mvn -B install -DskipTests`; needs wrk, ssh, curl)
# Env:   KARYO_DB_URL   use that PostgreSQL instead of the embedded one
#        DURATION       seconds per wrk run (default 20)
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

printf '#!/bin/sh\necho karaf\n' > "$work/askpass"; chmod +x "$work/askpass"
console() {
    SSH_ASKPASS="$work/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=:0 setsid ssh -o StrictHostKeyChecking=no \
        -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -p "$ssh_port" karaf@127.0.0.1 "$@" </dev/null
}
now_ms() { date +%s%3N; }
wait_for() {  # url, expected status, timeout s
    local deadline=$(( $(date +%s) + $3 ))
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = "$2" ]; do
        [ "$(date +%s)" -lt "$deadline" ] || { echo "timeout waiting for $1 -> $2" >&2; return 1; }
        sleep 0.05
    done
}
start() { (cd "$home" && bin/karaf server >"$work/karaf.out" 2>&1 &); }
stop() {
    "$home/bin/stop" >/dev/null 2>&1 || true
    for _ in $(seq 1 120); do [ -f "$home/karaf.pid" ] && kill -0 "$(cat "$home/karaf.pid")" 2>/dev/null || break; sleep 0.5; done
}
trap 'stop; rm -rf "$work"' EXIT

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
echo "== database: ${KARYO_DB_URL:-embedded PostgreSQL}"

t0=$(now_ms); start; wait_for "$base/health" 200 300; t1=$(now_ms)
echo "cold start to ready: $(( t1 - t0 )) ms"

token() {
    curl -s "$base/auth/login" -H 'Content-Type: application/json' -d '{"username":"admin","password":"admin"}' \
        | sed 's/.*"access_token":"\([^"]*\)".*/\1/'
}
echo "== seeding 1000 content rows"
TOKEN=$(token)
for i in $(seq 1 1000); do
    curl -s -o /dev/null -X POST "$base/webcontent/contents" -H 'Content-Type: application/json' -H "Authorization: Bearer $TOKEN" \
        -d "{\"title\":\"Banner $i\",\"content\":\"Release note number $i\",\"page\":\"page$((i % 10))\",\"content_type\":\"RELEASE_NOTE\",\"metadata\":{\"order\":\"$i\",\"tags\":\"bench\"}}"
done
curl -s "$base/webcontent/contents?limit=1" | head -c 80; echo

stop
for run in 1 2 3; do
    t0=$(now_ms); start; wait_for "$base/health" 200 120; t1=$(now_ms)
    echo "warm restart $run to ready: $(( t1 - t0 )) ms"
    [ "$run" = 3 ] || stop
done

for run in 1 2 3; do
    console "karyo:module-uninstall karyo-content" >/dev/null
    wait_for "$base/webcontent/contents" 404 30
    t0=$(now_ms); console "karyo:module-install karyo-content" >/dev/null
    wait_for "$base/webcontent/contents?limit=20" 200 60; t1=$(now_ms)
    echo "karyo:module-install karyo-content to first 200, run $run: $(( t1 - t0 )) ms (includes the ssh round trip)"
done

echo "== warm-up"
wrk -t1 -c16 -d10s "$base/webcontent/contents?limit=20" >/dev/null
for c in 16 64; do
    echo "== GET /api/webcontent/contents?limit=20, wrk -t1 -c$c -d${duration}s"
    wrk -t1 -c"$c" -d"${duration}s" --latency "$base/webcontent/contents?limit=20" | grep -E "Requests/sec|Latency |50%|99%|Non-2xx|Socket errors"
done
TOKEN=$(token)
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"title":"Load","content":"Load test banner","page":"bench","content_type":"BANNER_INFO","metadata":{"order":"1"}}'
LUA
for c in 16 64; do
    echo "== POST /api/webcontent/contents, wrk -t1 -c$c -d${duration}s"
    wrk -t1 -c"$c" -d"${duration}s" --latency -s "$work/post.lua" "$base/webcontent/contents" | grep -E "Requests/sec|Latency |50%|99%|Non-2xx|Socket errors"
done
