#!/usr/bin/env bash
# Trains the start-up archive on the operator's own start path: the operator (`run`, as in
# production, configured as a pod is) against a Kubernetes API in another process
# (StartupTrainingCluster: the embedded API server over TLS and the simulator, from lib/demo/). The operator runs from APP_DIR exactly as the
# image lays it out (the jar and lib/*.jar, no lib/demo/): an archive only matches that class path.
#   scripts/train-cds.sh APP_DIR FULL_LIB_DIR ARCHIVE [OPTIONS_FILE]
# APP_DIR holds agent-deployment-operator.jar and lib/; FULL_LIB_DIR is target/lib (with demo/).
# On JDK 25 and later the archive is an ahead-of-time cache (JEP 483/514/515: classes loaded and
# linked ahead of time, and the training run's method profiles); before 25, a dynamic class-data
# archive. OPTIONS_FILE, when given, receives the flag that reads the archive, for the image's
# `java @OPTIONS_FILE`: the archive and the flag that reads it are made together, for one JVM.
# JAVA chooses the java launcher (default: java on the PATH); it must be the JVM that will read it.
set -euo pipefail
app=$1 full_lib=$2 archive=$3 options=${4:-}
java=${JAVA:-java}
major=$("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
if [ "${major%%.*}" -ge 25 ]; then
  write=(-XX:AOTCacheOutput="$archive"); read_flag="-XX:AOTCache=$archive"
else
  write=(-XX:ArchiveClassesAtExit="$archive"); read_flag="-XX:SharedArchiveFile=$archive"
fi
work=$(mktemp -d)
trap 'exec 3>&- || true; rm -rf "$work"' EXIT
. "$(dirname "$0")/lib/training-cluster.sh"
start_training_cluster "$java" "$app/agent-deployment-operator.jar" "$full_lib" "$work"

# No server-side apply: the mock API server has none. Port 0: any free port for /healthz.
env "${POD_ENV[@]}" "$java" "${write[@]}" -jar "$app/agent-deployment-operator.jar" \
  --server-side-apply false --operator-namespace agents --http-port 0 >"$work/operator.log" 2>&1 &
operator=$!
# Past the first reconcile and a few remote calls, then a normal stop (SIGTERM): the JVM writes
# the archive at exit (JDK 25: the cache, from the profile of the whole run).
for _ in $(seq 120); do grep -q "first reconcile" "$work/operator.log" && break; sleep 0.5; done
sleep 5
kill -TERM "$operator" 2>/dev/null || true   # gone already: the check below prints its log
wait "$operator" || true
stop_training_cluster
grep "first reconcile" "$work/operator.log" || { cat "$work/operator.log"; exit 1; }
[ -s "$archive" ] || { echo "no archive written"; tail -20 "$work/operator.log"; exit 1; }
if [ -n "$options" ]; then echo "$read_flag" >"$options"; fi
echo "archive $archive (Java $major, read with $read_flag): $(du -h "$archive" | cut -f1)"
