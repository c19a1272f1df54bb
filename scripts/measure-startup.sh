#!/usr/bin/env bash
# JVM start to first reconcile of the operator itself (`run`, configured as a pod is), against a
# Kubernetes API in another process (StartupTrainingCluster, over TLS), with the start-up archive
# (scripts/train-cds.sh) and without (-Xshare:off), RUNS times each. With the archive the JVM must use it or stop (-XX:AOTMode=on on
# JDK 25+, -Xshare:on before). Prints numbers; asserts nothing (the machine's load decides them).
# JAVA chooses the java launcher (default: java on the PATH), the one that made the archive.
#   scripts/measure-startup.sh APP_DIR FULL_LIB_DIR ARCHIVE [RUNS]
set -euo pipefail
app=$1 full_lib=$2 archive=$3 runs=${4:-3}
java=${JAVA:-java}
major=$("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
if [ "${major%%.*}" -ge 25 ]; then
  with_archive=(-XX:AOTMode=on -XX:AOTCache="$archive")
else
  with_archive=(-Xshare:on -XX:SharedArchiveFile="$archive")
fi
work=$(mktemp -d)
trap 'exec 3>&- || true; rm -rf "$work"' EXIT
. "$(dirname "$0")/lib/training-cluster.sh"
start_training_cluster "$java" "$app/agent-deployment-operator.jar" "$full_lib" "$work"

for mode in archive none; do
  for i in $(seq "$runs"); do
    if [ "$mode" = archive ]; then flags=("${with_archive[@]}"); else flags=(-Xshare:off); fi
    env "${POD_ENV[@]}" "$java" "${flags[@]}" -jar "$app/agent-deployment-operator.jar" \
      --server-side-apply false --operator-namespace agents --http-port 0 >"$work/run.log" 2>&1 &
    pid=$!
    for _ in $(seq 120); do grep -q "first reconcile" "$work/run.log" && break; sleep 0.25; done
    rss=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$pid/status" 2>/dev/null || echo "?")
    kill -TERM "$pid" 2>/dev/null || true; wait "$pid" || true
    echo "Java $major, $mode run $i: $(grep -o 'first reconcile [0-9]* ms after JVM start' "$work/run.log" || echo 'no reconcile'), peak RSS ${rss} MiB"
    grep -q "first reconcile" "$work/run.log" || tail -5 "$work/run.log"
  done
done
stop_training_cluster
