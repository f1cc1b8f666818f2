#!/usr/bin/env bash
# Benchmarks of object storage and omics (issue 4), against the running platform with its objects in a real S3 server
# (s3proxy, filesystem backend, on this machine's disk) through the MinIO store:
#   1. region query latency through the API (wrk, one keep-alive connection) vs `tabix`'s wall time on local disk
#      (hyperfine), on one generated 1M-record VCF (1 kb, 1 Mb, a whole contig); curl processes timed alongside;
#   2. upload of an UPLOAD_GB file through the API (parts through Karyo, and presigned parts straight to storage;
#      one part at a time, and UPLOAD_PARALLEL at a time) vs one raw S3 PUT of the same file to the same server (timed
#      before and after; their mean is the baseline), with the platform's heap capped at 256 MB and sampled;
#   3. validation throughput (the job's VALIDATING time for that file).
# Usage: docs/benchmarks/omics.sh   (after `mvn -B install -DskipTests`; needs java, curl, jq, hyperfine, wrk, bc, tabix, bgzip)
# Env:   UPLOAD_GB (default 5; 0 skips the upload part), UPLOAD_PARALLEL (parts in flight, default 4),
#        RUNS (hyperfine runs per query, default 30),
#        WRK_SECONDS (per region, default 15), WARMUP_SECONDS (per region, default 10), QUERIES=0 skips the query part, HOLD=<seconds> keeps the platform up after the queries
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/karyo-omics-bench.XXXXXX)
port=${BENCH_HTTP_PORT:-18581}; ssh_port=${BENCH_SSH_PORT:-18501}; pg_port=${BENCH_PG_PORT:-18532}; s3_port=${BENCH_S3_PORT:-19000}
upload_gb=${UPLOAD_GB:-5}; runs=${RUNS:-30}
base="http://127.0.0.1:${port}/api"
s3="http://127.0.0.1:${s3_port}"
s3jar=${KARYO_S3PROXY_JAR:-$HOME/.m2/repository/org/gaul/s3proxy/2.6.0/s3proxy-2.6.0-jar-with-dependencies.jar}
[ -f "$s3jar" ] || mvn -B -q dependency:get -Dartifact=org.gaul:s3proxy:2.6.0:jar:jar-with-dependencies
for tool in hyperfine tabix bgzip jq curl wrk bc; do command -v $tool >/dev/null || { echo "missing $tool (apt-get install hyperfine tabix jq curl wrk bc)"; exit 1; }; done

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1), $(tabix --version | head -1)"

# --- a real S3 server ------------------------------------------------------------------------------------------------
mkdir -p "$work/s3"
cat > "$work/s3proxy.conf" <<EOF
s3proxy.endpoint=http://127.0.0.1:${s3_port}
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=benchaccess
s3proxy.credential=benchsecret12345
s3proxy.ignore-unknown-headers=true
jclouds.provider=filesystem
jclouds.filesystem.basedir=${work}/s3
EOF
java -Xmx512m -jar "$s3jar" --properties "$work/s3proxy.conf" >"$work/s3proxy.log" 2>&1 &
s3pid=$!

# --- the platform, heap capped at 256 MB -------------------------------------------------------------------------------
cp -a "$top/karaf-assembly/target/assembly" "$work/karyo"
home="$work/karyo"
export KARYO_HTTP_PORT=$port KARYO_HTTP_HOST=127.0.0.1 KARYO_SSH_PORT=$ssh_port KARYO_DB_EMBEDDED_PORT=$pg_port KARYO_PROFILE=dev
export JAVA_MAX_MEM=256M
# every collection is logged: the heap in use before each one is the peak the platform reached
export EXTRA_JAVA_OPTS="-Xlog:gc:file=${work}/gc.log"
export KARYO_FEATURES="karyo-audit, karyo-auth, karyo-accesses, karyo-storage, karyo-storage-minio, karyo-projects, karyo-omics"
export MINIO_ENDPOINT_URL=$s3 MINIO_PUBLIC_URL=$s3 MINIO_ROOT_USER=benchaccess MINIO_ROOT_PASSWORD=benchsecret12345 MINIO_DEFAULT_BUCKET=karyo
stop() {
    "$home/bin/stop" >/dev/null 2>&1 || true
    for _ in $(seq 1 120); do [ -f "$home/karaf.pid" ] && kill -0 "$(cat "$home/karaf.pid")" 2>/dev/null || break; sleep 0.5; done
    kill "$s3pid" 2>/dev/null || true
}
trap 'stop; rm -rf "$work"' EXIT
(cd "$home" && bin/karaf server >"$work/karaf.out" 2>&1 &)
for _ in $(seq 1 300); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/health")" = 200 ] && break; sleep 1; done
login() {  # a fresh access token (they live 15 minutes; a 5 GB validation takes longer)
    TOKEN=$(curl -s "$base/auth/login" -H 'Content-Type: application/json' -d '{"username":"admin","password":"admin"}' | jq -r .access_token)
    auth=(-H "Authorization: Bearer $TOKEN")
}
login
api() { curl -sf "${auth[@]}" -H 'Content-Type: application/json' "$@"; }
echo "== store: $(curl -s "${auth[@]}" "$base/health/detail" >/dev/null; echo minio via s3proxy at $s3)"

inst=$(api "$base/projects/institutions" -d '{"code":"BENCH","name":"Benchmark institution"}' | jq -r .id)
inv=$(api "$base/projects/investigators" -d "{\"institution_id\":$inst,\"first_name\":\"Bench\",\"last_name\":\"Mark\",\"email\":\"bench@example.org\"}" | jq -r .id)
project=$(api "$base/projects/projects" -d "{\"institution_id\":$inst,\"investigator_id\":$inv,\"code\":\"BENCH\",\"name\":\"Benchmarks\",\"status\":\"ACTIVE\",\"start_date\":\"2026-01-01\"}" | jq -r .id)

# send_part MODE UPLOAD N FILE: one part, through Karyo or to a presigned URL; its HTTP status lands in $work/status/N
send_part() {
    local mode=$1 id=$2 n=$3 f=$4 status
    if [ "$mode" = presigned ]; then
        local url; url=$(api -X POST "$base/omics/uploads/$id/parts/$n/presign" -d '{}' | jq -r .url)
        status=$(curl -s -o "$work/status/$n.out" -w '%{http_code}' -T "$f" "$url")
    else
        status=$(curl -s -o "$work/status/$n.out" -w '%{http_code}' "${auth[@]}" -H 'Content-Type: application/octet-stream' -T "$f" "$base/omics/uploads/$id/parts/$n")
    fi
    echo "$status" > "$work/status/$n"
}

# upload FILE KIND MODE PARALLEL [validate]: MODE is through (parts through Karyo) or presigned (parts straight to
# storage); PARALLEL parts are in flight at a time, as S3 clients send them (the AWS CLI sends 10). Prints
# "artifact_id validating_seconds transfer_seconds"; without validate the upload is dropped after its transfer.
upload() {
    local file=$1 kind=$2 mode=$3 parallel=$4 validate=${5:-} size sha id parts part_size t0 t1 job
    login
    size=$(stat -c %s "$file"); sha=$(sha256sum "$file" | cut -d' ' -f1)
    local u; u=$(api "$base/omics/uploads" -d "{\"project\":$project,\"kind\":\"$kind\",\"size\":$size,\"sha256\":\"$sha\",\"idempotency_key\":\"$RANDOM$RANDOM\",\"file_name\":\"$(basename "$file")\",\"assembly\":{\"reference\":\"GRCH38\",\"name\":\"GRCh38\"}}")
    id=$(jq -r .id <<<"$u"); parts=$(jq -r .part_count <<<"$u"); part_size=$(jq -r .part_size <<<"$u")
    rm -rf "$work/parts" "$work/status"; mkdir -p "$work/parts" "$work/status"
    (cd "$work/parts" && split -b "$part_size" -d -a 5 "$file" p)
    t0=$(date +%s.%N)
    local pids=()
    live() { local c=0 p; for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && c=$((c + 1)); done; echo $c; }
    for n in $(seq 1 "$parts"); do
        while [ "$(live)" -ge "$parallel" ]; do wait -n || true; done  # the next job to end is a part's
        send_part "$mode" "$id" "$n" "$(printf "%s/parts/p%05d" "$work" $((n - 1)))" &
        pids+=($!)
    done
    wait "${pids[@]}" || true  # (a bare wait would wait for the S3 server too)
    t1=$(date +%s.%N)
    for n in $(seq 1 "$parts"); do
        [ "$(cat "$work/status/$n" 2>/dev/null)" = 200 ] || { echo "part $n ($mode) answered $(cat "$work/status/$n" 2>/dev/null): $(head -c 500 "$work/status/$n.out" 2>/dev/null)" >&2; exit 1; }
    done
    rm -rf "$work/parts" "$work/status"
    if [ -z "$validate" ]; then  # the transfer is what is measured: drop the upload, skip another validation
        login
        curl -s -o /dev/null -X DELETE "${auth[@]}" "$base/omics/uploads/$id"
        echo "- 0 $(echo "$t1 - $t0" | bc -l)"
        return
    fi
    local t2 t3
    t2=$(date +%s.%N)
    job=$(api -X POST "$base/omics/uploads/$id/complete" -d '{}' | jq -r .id)
    local state=RECEIVED j
    while [ "$state" != AVAILABLE ] && [ "$state" != REJECTED ] && [ "$state" != FAILED ]; do
        sleep 0.5; j=$(api "$base/omics/jobs/$job"); state=$(jq -r .state <<<"$j")
    done
    t3=$(date +%s.%N)
    [ "$state" = AVAILABLE ] || { echo "upload rejected: $j" >&2; exit 1; }
    # validation: from the complete call until the job is AVAILABLE (joining the parts, the streaming pass, the index)
    echo "$(jq -r .artifact_id <<<"$j") $(echo "$t3 - $t2" | bc -l) $(echo "$t1 - $t0" | bc -l)"
}

# --- 1. region queries ---------------------------------------------------------------------------------------------
if [ "${QUERIES:-1}" = 1 ]; then
echo "== generating a 1M-record VCF (4 samples, 3 contigs)"
java "$top/docs/benchmarks/GenerateVcf.java" "$work/q.vcf" 1000000 4 3 42
bgzip -@1 -c "$work/q.vcf" > "$work/q.vcf.gz"; tabix -p vcf "$work/q.vcf.gz"
upload "$work/q.vcf" VCF through 1 validate > "$work/upload.out"
read -r qa _ _ < "$work/upload.out"
echo "artifact $qa: $(stat -c %s "$work/q.vcf") bytes uploaded, stored as BGZF with a built index"
declare -A regions=([1kb]="chr2:100000000-100001000" [1Mb]="chr2:100000000-101000000" [contig]="chr2")
# wrk prints 850.00us / 9.70ms / 1.02s: in milliseconds
ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); printf "%.2f", v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v); printf "%.2f", v} else {sub(/s$/,"",v); printf "%.2f", v*1000}}'; }
echo "== request latency floors (wrk, one keep-alive connection, ${WRK_SECONDS:-15} s)"
wrk -t1 -c1 -d"${WRK_SECONDS:-15}s" --latency "$base/health" > "$work/wrk-health.out"
echo "GET /api/health (no auth, no database): mean $(awk '$1=="Latency" && $2!="Distribution"{print $2; exit}' "$work/wrk-health.out" | ms) ms"
echo "== warming up: each region for ${WARMUP_SECONDS:-10} s (the platform's JIT, like hyperfine's warm-up runs of tabix)"
for r in "${regions[@]}"; do
    wrk -t1 -c1 -d"${WARMUP_SECONDS:-10}s" -H "Authorization: Bearer $TOKEN" "$base/omics/artifacts/$qa/records?region=$r&format=vcf" > /dev/null
done
echo "| region | records | tabix, local disk (mean wall time) | API request latency (wrk: mean, p50, p99) | ratio (means) | curl process (hyperfine) |" > "$work/q-table.md"
echo "|---|---:|---:|---:|---:|---:|" >> "$work/q-table.md"
for size in 1kb 1Mb contig; do
    r=${regions[$size]}
    url="$base/omics/artifacts/$qa/records?region=$r&format=vcf"
    a=$(curl -s "${auth[@]}" "$url" | grep -vc '^#' || true)
    t=$(tabix "$work/q.vcf.gz" "$r" | wc -l)
    [ "$a" = "$t" ] || { echo "record counts differ for $r: api $a, tabix $t" >&2; exit 1; }
    echo "-- $size ($r): $t records"
    # whole commands: tabix's wall time is what a query costs its user; curl's includes curl's own start (~10 ms here)
    hyperfine -N -w 5 -r "$runs" --style basic --export-json "$work/q-$size.json" \
        -n "tabix local" "tabix $work/q.vcf.gz $r" \
        -n "curl process" "curl -s -o /dev/null -H 'Authorization: Bearer $TOKEN' '$url'" \
        | grep -E "Time|±|faster" || true
    # the API's own latency: one client, one keep-alive connection, one request after the other
    wrk -t1 -c1 -d"${WRK_SECONDS:-15}s" --latency -H "Authorization: Bearer $TOKEN" "$url" > "$work/wrk-$size.out"
    if grep -q "Non-2xx" "$work/wrk-$size.out"; then echo "wrk saw errors: $(cat "$work/wrk-$size.out")" >&2; exit 1; fi
    tabix_ms=$(jq '.results[0].mean * 1000' "$work/q-$size.json")
    curl_ms=$(jq '.results[1].mean * 1000' "$work/q-$size.json")
    mean=$(awk '$1=="Latency" && $2!="Distribution"{print $2; exit}' "$work/wrk-$size.out" | ms)
    p50=$(awk '/ 50% /{print $2}' "$work/wrk-$size.out" | ms)
    p99=$(awk '/ 99% /{print $2}' "$work/wrk-$size.out" | ms)
    n=$(awk '/requests in/{print $1}' "$work/wrk-$size.out")
    printf "| %s \`%s\` | %s | %.1f ms | %s ms (p50 %s, p99 %s; %s requests) | %.2fx | %.1f ms |\n" \
        "$size" "$r" "$t" "$tabix_ms" "$mean" "$p50" "$p99" "$n" "$(echo "$mean / $tabix_ms" | bc -l)" "$curl_ms" \
        >> "$work/q-table.md"
done
cat "$work/q-table.md"
fi

if [ -n "${HOLD:-}" ]; then  # keep the platform up for manual probing: token, base URL and artifact in $work/hold.env
    printf 'TOKEN=%s\nbase=%s\nqa=%s\nwork=%s\n' "$TOKEN" "$base" "${qa:-}" "$work" > "$work/hold.env"
    echo "holding for $HOLD s; see $work/hold.env"; sleep "$HOLD"
fi

# --- 2 and 3. upload --------------------------------------------------------------------------------------------------
[ "$upload_gb" = 0 ] && exit 0
bytes=$(( upload_gb * 1000 * 1000 * 1000 ))
free=$(df -B1 --output=avail "$work" | tail -1)
need=$(( bytes * 5 ))
[ "$free" -gt "$need" ] || { echo "not enough free disk for a ${upload_gb} GB upload: $free bytes free, $need needed"; exit 1; }
echo "== generating a ${upload_gb} GB VCF"
java "$top/docs/benchmarks/GenerateVcf.java" "$work/big.vcf" 0 40 22 7 --bytes "$bytes"
size=$(stat -c %s "$work/big.vcf")
gc_lines_before=$(wc -l < "$work/gc.log")

# one PUT of the whole file, timed before and after the API uploads; their mean is the baseline
raw_put() {
    local t0 t1
    t0=$(date +%s.%N)
    curl -sf -o /dev/null "${sigv4[@]}" -T "$work/big.vcf" "$s3/karyo/rawbench/big.vcf"
    t1=$(date +%s.%N)
    curl -sf -o /dev/null -X DELETE "${sigv4[@]}" "$s3/karyo/rawbench/big.vcf" || true
    echo "$t1 - $t0" | bc -l
}
sigv4=(--aws-sigv4 "aws:amz:us-east-1:s3" --user benchaccess:benchsecret12345 -H "x-amz-content-sha256: UNSIGNED-PAYLOAD")
raw1=$(raw_put)
printf "raw PUT (before): %.1f s, %.0f MB/s\n" "$raw1" "$(echo "$size / $raw1 / 1000000" | bc -l)"

parallel=${UPLOAD_PARALLEL:-4}
declare -A took
for mode in through presigned; do
    for p in 1 "$parallel"; do
        validate=""; [ "$mode" = through ] && [ "$p" = "$parallel" ] && validate=validate
        upload "$work/big.vcf" VCF "$mode" "$p" $validate > "$work/upload.out"
        read -r art validating transfer < "$work/upload.out"
        took[$mode-$p]=$transfer
        printf "API parts (%s, %s at a time): %.1f s, %.0f MB/s\n" "$mode" "$p" "$transfer" "$(echo "$size / $transfer / 1000000" | bc -l)"
        if [ "$art" != - ]; then
            printf "validation (complete -> AVAILABLE: join the parts, one streaming pass, BGZF + index written): %.1f s = %.0f MB/s\n" \
                "$validating" "$(echo "$size / $validating / 1000000" | bc -l)"
            login
            curl -s -o /dev/null -X DELETE "${auth[@]}" "$base/omics/artifacts/$art" || true
        fi
    done
done
raw2=$(raw_put)
printf "raw PUT (after): %.1f s, %.0f MB/s\n" "$raw2" "$(echo "$size / $raw2 / 1000000" | bc -l)"
raw=$(echo "($raw1 + $raw2) / 2" | bc -l)
echo "| mode | parts in flight | time | throughput | vs raw PUT (mean of $(printf "%.1f" "$raw1") s and $(printf "%.1f" "$raw2") s: $(printf "%.0f" "$(echo "$size / $raw / 1000000" | bc -l)") MB/s) |"
echo "|---|---:|---:|---:|---:|"
for mode in through presigned; do
    for p in 1 "$parallel"; do
        t=${took[$mode-$p]}
        printf "| %s | %s | %.1f s | %.0f MB/s | %.2fx |\n" "$mode" "$p" "$t" "$(echo "$size / $t / 1000000" | bc -l)" "$(echo "$raw / $t" | bc -l)"
    done
done
peak=$(tail -n +"$((gc_lines_before + 1))" "$work/gc.log" | grep -o '[0-9]*M->' | tr -d 'M>-' | sort -n | tail -1)
echo "platform heap during the uploads and validations: at most ${peak} MB in use before a collection ($(tail -n +"$((gc_lines_before + 1))" "$work/gc.log" | grep -c Pause) collections; JAVA_MAX_MEM=$JAVA_MAX_MEM)"
