#!/usr/bin/env bash
# Refreshes the semantic-versioning baseline of the exported packages.
#
# Copies every bundle jar of the last build that exports packages into bnd/baseline/ (a Maven repository layout,
# kept in git) as version <version>, drops the previous baseline, and points karyo.baseline.version in pom.xml at the
# new one. Run it after `mvn -B install -DskipTests`, when the current API becomes the reference (a release, or the
# end of an issue whose API moves were reviewed); commit bnd/baseline and pom.xml together. Each refresh needs a new
# version: Maven caches a baseline jar in the local repository by version.
#
# Usage: bnd/baseline.sh <version>      e.g. bnd/baseline.sh 0.1.0
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?usage: bnd/baseline.sh <version>}
rm -rf bnd/baseline/org
count=0
for dir in bundles/*/; do
    a=$(basename "$dir")
    jar="$dir/target/$a-$(sed -n 's:.*<version>\(.*-SNAPSHOT\)</version>.*:\1:p' pom.xml | head -1).jar"
    [ -f "$jar" ] || { echo "no $jar: build first (mvn -B install -DskipTests)" >&2; exit 1; }
    unzip -p "$jar" META-INF/MANIFEST.MF | grep -q '^Export-Package:' || continue
    dest="bnd/baseline/org/karyo/$a/$version"
    mkdir -p "$dest"
    cp "$jar" "$dest/$a-$version.jar"
    printf '<project><modelVersion>4.0.0</modelVersion><groupId>org.karyo</groupId><artifactId>%s</artifactId><version>%s</version></project>\n' \
        "$a" "$version" > "$dest/$a-$version.pom"
    for f in "$dest/$a-$version.jar" "$dest/$a-$version.pom"; do sha1sum "$f" | cut -d' ' -f1 > "$f.sha1"; done
    count=$((count + 1))
done
sed -i "s:<karyo.baseline.version>[^<]*</karyo.baseline.version>:<karyo.baseline.version>$version</karyo.baseline.version>:" pom.xml
echo "baseline $version: $count bundles exporting packages, in bnd/baseline"
