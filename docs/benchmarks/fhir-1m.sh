#!/usr/bin/env bash
# The FHIR store at a million Observations, against a running platform (dev profile) whose FHIR import folder is
# $IMPORT (KARYO_FHIR_IMPORT_FOLDER). Needs curl, jq, wrk, psql, python3.
# Usage: docs/benchmarks/fhir-1m.sh [patients] [observations per patient]     (default 5000 × 200 = 1,000,000)
# Prints: the import rate next to COPY of the same lines into a one-column table; the live heap after a full GC while
# the import runs and while a reader pages through everything; the subject search over random patients; ten fixed
# (code, date, value-quantity) searches with their result counts; plans of two of them.
set -euo pipefail
K=${KARYO:-http://localhost:8181}; api=$K/api; F=$K/fhir/r5
PATIENTS=${1:-5000}; PER=${2:-200}
DB=${KARYO_BENCH_DB:-postgresql://postgres@127.0.0.1:5432/karyo_dev}
IMPORT=${IMPORT:?set IMPORT to the platform\'s FHIR import folder}
PID=${KARAF_PID:-$(pgrep -f 'org.apache.karaf.main.Main' | head -1)}
json=(-H 'Content-Type: application/json'); fj=(-H 'Content-Type: application/fhir+json')
login() { curl -sf "$api/auth/login" "${json[@]}" -d "{\"username\":\"$1\",\"password\":\"$2\"}" | jq -r .access_token; }
A=(-H "Authorization: Bearer $(login admin "${ADMIN_PASSWORD:-admin}")")
run=m$RANDOM
root=$(curl -sf "$api/accesses/perimeters?local_id=root" "${A[@]}" | jq '.results[0].id')
node=$(curl -sf "$api/accesses/perimeters" "${A[@]}" "${json[@]}" -d "{\"local_id\":\"$run\",\"name\":\"Bench $run\",\"type_source_value\":\"hospital\",\"parent_id\":$root}" | jq .id)
curl -sf -X PUT "$F/Organization/$run" "${A[@]}" "${fj[@]}" -d "{\"resourceType\":\"Organization\",\"id\":\"$run\",\"name\":\"Bench\",\"identifier\":[{\"system\":\"urn:karyo:perimeter\",\"value\":\"$node\"}]}" >/dev/null
role=$(curl -sf "$api/accesses/roles" "${A[@]}" "${json[@]}" -d "{\"name\":\"reader $run\",\"rights\":[\"accesses.read_patient_nominative\"]}" | jq .id)
curl -sf "$api/users" "${A[@]}" "${json[@]}" -d "{\"username\":\"r$run\",\"firstname\":\"B\",\"lastname\":\"R\",\"password\":\"Bench-Passw0rd-$run\"}" >/dev/null
curl -sf "$api/accesses/accesses" "${A[@]}" "${json[@]}" -d "{\"username\":\"r$run\",\"role_id\":$role,\"perimeter_id\":$node}" >/dev/null
R="Authorization: Bearer $(login r$run Bench-Passw0rd-$run)"

dir=$IMPORT/$run; mkdir -p "$dir"
python3 - "$run" "$PATIENTS" "$PER" "$dir" <<'PY'
import json, random, sys
run, patients, per, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
random.seed(11)
codes = [("8867-4", 30), ("8310-5", 20), ("2339-0", 15), ("29463-7", 10), ("8480-6", 10), ("8462-4", 8),
         ("9279-1", 5), ("2708-6", 1.9), ("33914-3", 0.1)]
names = [c for c, _ in codes]; weights = [w for _, w in codes]
with open(out + "/Patient.ndjson", "w") as f:
    for p in range(patients):
        f.write(json.dumps({"resourceType": "Patient", "id": "%s-%d" % (run, p), "gender": random.choice(["female", "male"]),
                            "birthDate": "19%02d-%02d-%02d" % (random.randint(30, 99), random.randint(1, 12), random.randint(1, 28)),
                            "managingOrganization": {"reference": "Organization/" + run}}, separators=(",", ":")) + "\n")
n = 0
with open(out + "/Observation.ndjson", "w") as f:
    for p in range(patients):
        for i in range(per):
            f.write(json.dumps({"resourceType": "Observation", "id": "%s-o%d" % (run, n), "status": "final",
                "code": {"coding": [{"system": "http://loinc.org", "code": random.choices(names, weights)[0]}]},
                "subject": {"reference": "Patient/%s-%d" % (run, p)},
                "effectiveDateTime": "20%02d-%02d-%02dT%02d:%02d:00Z" % (random.randint(10, 25), random.randint(1, 12), random.randint(1, 28), random.randint(0, 23), random.randint(0, 59)),
                "valueQuantity": {"value": round(random.uniform(30, 200), 1), "unit": "/min", "system": "http://unitsofmeasure.org", "code": "/min"}},
                separators=(",", ":")) + "\n")
            n += 1
PY
lines=$(wc -l < "$dir/Observation.ndjson")
echo "data: $PATIENTS Patients, $lines Observations ($(du -m "$dir/Observation.ndjson" | cut -f1) MB)"

# COPY of the same lines into a one-column table with a bigint primary key (the baseline)
psql "$DB" -qAt -c "DROP TABLE IF EXISTS public.copy_baseline" -c "CREATE TABLE public.copy_baseline (id bigint PRIMARY KEY, line text)"
start=$(date +%s.%N)
awk '{ gsub(/\\/, "\\\\"); print NR "\t" $0 }' "$dir/Observation.ndjson" | psql "$DB" -qc "\\copy public.copy_baseline FROM STDIN"
end=$(date +%s.%N)
copyrate=$(echo "$lines / ($end - $start)" | bc)
psql "$DB" -qAt -c "DROP TABLE public.copy_baseline"
echo "COPY of the Observation lines into (id bigint primary key, line text): $copyrate lines/s"

heap() { jcmd "$PID" GC.run >/dev/null; jcmd "$PID" GC.heap_info | sed -n 's/.*garbage-first heap.*used \([0-9]*\)K.*/\1/p'; }
start=$(date +%s.%N)
job=$(curl -sf -i -X POST "$F/\$import" "${A[@]}" "${fj[@]}" -d "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"file\",\"valueString\":\"$run\"}]}" | tr -d '\r' | awk -F/ '/^Content-Location/ {print $NF}')
maxheap=0
while :; do
  state=$(curl -sf "$api/jobs/$job" "${A[@]}" | jq -r .state)
  [ "$state" = "SUCCEEDED" ] || [ "$state" = "FAILED" ] && break
  h=$(heap); [ "${h:-0}" -gt "$maxheap" ] && maxheap=$h
  sleep 5
done
end=$(date +%s.%N)
total=$((lines + PATIENTS))
echo "import: job $job $state, $total resources in $(echo "$end - $start" | bc) s = $(echo "$total / ($end - $start)" | bc) resources/s ($(echo "scale=2; $total / ($end - $start) / $copyrate" | bc) of COPY's rate); largest live heap after a full GC while it ran: $((maxheap / 1024)) MB"
curl -sf "$api/jobs/$job" "${A[@]}" | jq -c '{state, progress, result: (.result | {stored, refused})}'

psql "$DB" -qAt -c "VACUUM ANALYZE karyo_fhir.resource" -c "VACUUM ANALYZE karyo_fhir.resource_id"
psql "$DB" -qAt -c "SELECT 'storage per resource: ' || round(sum(pg_total_relation_size(c.oid))::numeric / (SELECT count(*) FROM karyo_fhir.resource)) || ' bytes over ' || (SELECT count(*) FROM karyo_fhir.resource) || ' resources' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'karyo_fhir' AND c.relkind = 'r'"

tmp=$(mktemp -d); trap 'rm -rf $tmp' EXIT
cat > $tmp/subject.lua <<LUA
math.randomseed(7)
request = function() return wrk.format("GET", "/fhir/r5/Observation?subject=Patient/$run-" .. math.random(0, $PATIENTS - 1) .. "&_count=20", {["Authorization"] = "${R#Authorization: }"}) end
LUA
echo "--- Observation?subject=<random of $PATIENTS patients>&_count=20 as the reader (wrk -t2 -c4, 5 s warm-up, 20 s)"
wrk -t2 -c4 -d5s -s $tmp/subject.lua "$K" >/dev/null; wrk -t2 -c4 -d20s --latency -s $tmp/subject.lua "$K" | grep -E " 50%| 90%| 99%|Requests/sec"

queries=(
 "code=http://loinc.org%7C9279-1&date=ge2025-06-01&value-quantity=gt199"
 "code=http://loinc.org%7C33914-3&date=ge2023-01-01&value-quantity=gt150"
 "code=http://loinc.org%7C2708-6&date=ge2024-01-01&value-quantity=gt195"
 "code=http://loinc.org%7C33914-3&date=lt2020-01-01&value-quantity=lt100"
 "code=http://loinc.org%7C2708-6&date=ge2020-01-01&value-quantity=gt100"
 "code=http://loinc.org%7C8310-5&date=2019&value-quantity=gt100"
 "code=http://loinc.org%7C8462-4&date=ge2020-01-01&value-quantity=gt150"
 "code=http://loinc.org%7C9279-1&date=ge2015-01-01&value-quantity=gt150"
 "code=http://loinc.org%7C2339-0&date=ge2018-01-01&value-quantity=lt60"
 "code=http://loinc.org%7C8867-4&date=ge2020-01-01&value-quantity=gt150"
)
echo "--- ten (code, date, value-quantity) searches, _count=20, as the reader: result count, then wrk -t1 -c1 10 s each"
for q in "${queries[@]}"; do
  n=$(curl -sf "$F/Observation?$q&_summary=count" -H "$R" | jq .total)
  p=$(wrk -t1 -c1 -d10s --latency -H "$R" "$F/Observation?$q&_count=20" | awk '/ 50%/ {p50=$2} / 99%/ {p99=$2} /Requests\/sec/ {r=$2} END {print "p50 " p50 ", p99 " p99 ", " r " req/s"}')
  t=$(curl -s -o /dev/null -w '%{time_total}' "$F/Observation?$q&_count=20&_total=accurate" -H "$R")
  echo "$n results | $q | $p | with _total=accurate: ${t}s"
done
echo "--- the reader pages through every Observation (_count=1000), live heap after a full GC meanwhile"
next="$F/Observation?_count=1000"; pages=0; maxheap=0; start=$(date +%s.%N)
while [ -n "$next" ] && [ "$next" != "null" ]; do
  next=$(curl -sf "$next" -H "$R" | jq -r '[.link[] | select(.relation == "next") | .url][0]')
  pages=$((pages + 1))
  if [ $((pages % 100)) -eq 0 ]; then h=$(heap); [ "${h:-0}" -gt "$maxheap" ] && maxheap=$h; fi
done
echo "$pages pages in $(echo "$(date +%s.%N) - $start" | bc) s; largest live heap after a full GC: $((maxheap / 1024)) MB"
