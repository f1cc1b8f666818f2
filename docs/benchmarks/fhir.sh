#!/usr/bin/env bash
# FHIR store benchmark against a running platform (the README's run command, dev profile), as a non-admin reader whose
# access covers the data. Needs curl, jq, wrk. Usage: docs/benchmarks/fhir.sh [patients] [observations per patient]
# Prints: transaction Bundle load rate (1,000 Observations per Bundle), read-by-id and search latency and throughput
# next to /api/health's, and the storage per Observation.
set -euo pipefail
K=${KARYO:-http://localhost:8181}; api=$K/api; F=$K/fhir/r5
PATIENTS=${1:-100}; PER=${2:-200}; DB=${KARYO_BENCH_DB:-postgresql://postgres@127.0.0.1:5432/karyo_dev}
json=(-H 'Content-Type: application/json'); fj=(-H 'Content-Type: application/fhir+json')
login() { curl -sf "$api/auth/login" "${json[@]}" -d "{\"username\":\"$1\",\"password\":\"$2\"}" | jq -r .access_token; }
A=(-H "Authorization: Bearer $(login admin "${ADMIN_PASSWORD:-admin}")")
run=$RANDOM$RANDOM
root=$(curl -sf "$api/accesses/perimeters?local_id=root" "${A[@]}" | jq '.results[0].id')
node=$(curl -sf "$api/accesses/perimeters" "${A[@]}" "${json[@]}" -d "{\"local_id\":\"bench$run\",\"name\":\"Bench $run\",\"type_source_value\":\"hospital\",\"parent_id\":$root}" | jq .id)
curl -sf -X PUT "$F/Organization/bench$run" "${A[@]}" "${fj[@]}" -d "{\"resourceType\":\"Organization\",\"id\":\"bench$run\",\"name\":\"Bench\",\"identifier\":[{\"system\":\"urn:karyo:perimeter\",\"value\":\"$node\"}]}" >/dev/null
role=$(curl -sf "$api/accesses/roles" "${A[@]}" "${json[@]}" -d "{\"name\":\"bench reader $run\",\"rights\":[\"accesses.read_patient_nominative\"]}" | jq .id)
curl -sf "$api/users" "${A[@]}" "${json[@]}" -d "{\"username\":\"bench$run\",\"firstname\":\"B\",\"lastname\":\"R\",\"password\":\"Bench-Passw0rd-$run\"}" >/dev/null
curl -sf "$api/accesses/accesses" "${A[@]}" "${json[@]}" -d "{\"username\":\"bench$run\",\"role_id\":$role,\"perimeter_id\":$node}" >/dev/null
R="Authorization: Bearer $(login bench$run Bench-Passw0rd-$run)"

tmp=$(mktemp -d); trap 'rm -rf $tmp' EXIT
for p in $(seq 1 "$PATIENTS"); do echo "{\"resource\":{\"resourceType\":\"Patient\",\"id\":\"b$run-$p\",\"gender\":\"female\",\"managingOrganization\":{\"reference\":\"Organization/bench$run\"}},\"request\":{\"method\":\"PUT\",\"url\":\"Patient/b$run-$p\"}}"; done | jq -s '{resourceType:"Bundle",type:"transaction",entry:.}' > $tmp/patients.json
curl -sf -X POST "$F" "${A[@]}" "${fj[@]}" --data-binary @$tmp/patients.json >/dev/null
total=$((PATIENTS * PER)); bundles=$(( (total + 999) / 1000 ))
python3 - "$run" "$PATIENTS" "$PER" "$tmp" <<'PY'
import json, random, sys
run, patients, per, tmp = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
random.seed(7); codes = ["8867-4", "8310-5", "2339-0", "29463-7", "8480-6", "8462-4", "9279-1", "2708-6"]
entries = []
for p in range(1, patients + 1):
    for i in range(per):
        entries.append({"resource": {"resourceType": "Observation", "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": random.choice(codes)}]},
            "subject": {"reference": "Patient/b%s-%d" % (run, p)},
            "effectiveDateTime": "20%02d-%02d-%02dT%02d:00:00Z" % (random.randint(10, 25), random.randint(1, 12), random.randint(1, 28), random.randint(0, 23)),
            "valueQuantity": {"value": round(random.uniform(30, 200), 1), "system": "http://unitsofmeasure.org", "code": "/min"}},
            "request": {"method": "POST", "url": "Observation"}})
for b in range(0, len(entries), 1000):
    json.dump({"resourceType": "Bundle", "type": "transaction", "entry": entries[b:b + 1000]}, open("%s/tx%05d.json" % (tmp, b // 1000), "w"))
PY
start=$(date +%s.%N)
for f in $tmp/tx*.json; do curl -sf -X POST "$F" "${A[@]}" "${fj[@]}" --data-binary @$f -o /dev/null; done
end=$(date +%s.%N)
echo "transaction Bundles of 1,000 Observations: $total Observations in $(echo "$end - $start" | bc) s = $(echo "$total / ($end - $start)" | bc) resources/s (one client, sequential)"

oid=$(curl -sf "$F/Observation?subject=Patient/b$run-1&_count=1" -H "$R" | jq -r '.entry[0].resource.id')
echo "--- /api/health (wrk -t2 -c16 -d20s, 5 s warm-up)"; wrk -t2 -c16 -d5s "$api/health" >/dev/null; wrk -t2 -c16 -d20s --latency "$api/health" | grep -E "50%|90%|99%|Requests/sec"
echo "--- read by id as the reader (read audit on)"; wrk -t2 -c16 -d5s -H "$R" "$F/Observation/$oid" >/dev/null; wrk -t2 -c16 -d20s --latency -H "$R" "$F/Observation/$oid" | grep -E "50%|90%|99%|Requests/sec"
cat > $tmp/subject.lua <<LUA
math.randomseed(7)
request = function() return wrk.format("GET", "/fhir/r5/Observation?subject=Patient/b$run-" .. math.random(1, $PATIENTS) .. "&_count=20", {["Authorization"] = "${R#Authorization: }"}) end
LUA
echo "--- Observation?subject=<random patient>&_count=20 as the reader (wrk -t2 -c4 -d20s)"; wrk -t2 -c4 -d20s --latency -s $tmp/subject.lua "$K" | grep -E "50%|90%|99%|Requests/sec"
cat > $tmp/code.lua <<LUA
request = function() return wrk.format("GET", "/fhir/r5/Observation?code=http://loinc.org%7C8867-4&date=ge2020-01-01&value-quantity=gt150&_count=20", {["Authorization"] = "${R#Authorization: }"}) end
LUA
echo "--- Observation?code=…&date=ge2020-01-01&value-quantity=gt150&_count=20 (wrk -t2 -c4 -d20s)"; wrk -t2 -c4 -d20s --latency -s $tmp/code.lua "$K" | grep -E "50%|90%|99%|Requests/sec"
psql "$DB" -qAt -c "VACUUM ANALYZE karyo_fhir.resource" -c "SELECT 'storage per resource: ' || round(sum(pg_total_relation_size(c.oid))::numeric / (SELECT count(*) FROM karyo_fhir.resource)) || ' bytes over ' || (SELECT count(*) FROM karyo_fhir.resource) || ' resources' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'karyo_fhir' AND c.relkind = 'r'"
