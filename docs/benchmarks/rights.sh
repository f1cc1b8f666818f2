#!/usr/bin/env bash
# JMH benchmark of rights resolution (issue 3: a user with 1,000 accesses on a 10,000-node tree, < 5 ms uncached,
# < 0.1 ms cached). Source: bundles/org.karyo.accesses.impl/src/test/java/org/karyo/accesses/impl/internal/RightsBenchmark.java
# Usage: docs/benchmarks/rights.sh [JMH options]   e.g. `-f 2`, `-rf json -rff /tmp/rights.json`, `hasRightOn`
#        (needs the bundle's upstream modules in the local Maven repository: `mvn -B install -DskipTests` once)
# Env:   KARYO_TEST_DB_URL  PostgreSQL server whose user may create databases (a fresh one per fork is created and
#                           dropped); default jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres
#        MVN_OPTS_EXTRA     extra Maven flags (default -o: offline)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
module=bundles/org.karyo.accesses.impl
export KARYO_TEST_DB_URL=${KARYO_TEST_DB_URL:-jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}
cpfile="$top/$module/target/benchmark.classpath"

cd "$top"
# shellcheck disable=SC2086
mvn -B ${MVN_OPTS_EXTRA--o} -q -pl "$module" test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile"
cp="$top/$module/target/test-classes:$top/$module/target/classes:$(cat "$cpfile")"

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
echo "== database: ${KARYO_TEST_DB_URL%%\?*}"
exec java -cp "$cp" org.karyo.accesses.impl.internal.RightsBenchmark "$@"
