#!/usr/bin/env bash
# Times the README's test command the way the figures in docs/BENCHMARKS.md were taken: a fresh clone of this
# repository, the Maven cache as it is (warm), `bash .ci/run`. Prints the wall time, the CPU time of the whole tree of
# processes, the load of the machine before and after, Maven's per-module times, and the integration test classes'
# times (from Surefire's reports: with classes running concurrently, the console's per-class lines are not reliable).
#
# Usage: docs/benchmarks/test-times.sh [clone dir]     (MAVEN_OPTS=-Dmaven.repo.local=... to use another repository)
set -euo pipefail
src="$(cd "$(dirname "$0")/../.." && pwd)"
dir="${1:-$(mktemp -d /tmp/karyo-test-times.XXXXXX)}"
rm -rf "$dir"
git clone -q "$src" "$dir"
cd "$dir"
echo "clone: $dir ($(git log -1 --format='%h %s'))"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
/usr/bin/time -f 'wall %e s, CPU user %U s + system %S s' -o time.txt bash .ci/run > build.log 2>&1 || {
    tail -50 build.log
    exit 1
}
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
cat time.txt
sed -n '/Reactor Summary/,/BUILD/p' build.log | sed 's/^\[INFO\] //'
echo "integration test classes (sum of their methods' times):"
for f in itests/target/surefire-reports/TEST-*.xml; do
    grep -o '<testcase name="[^"]*" classname="[^"]*" time="[^"]*"' "$f" || true
done | sed 's/.* classname="\([^"]*\)" time="\([^"]*\)"/\1 \2/' \
    | awk '{n[$1]++; t[$1] += $2} END {for (c in t) printf "  %7.1f s  %2d tests  %s\n", t[c], n[c], c}' | sort -rn
