# Sourced by train-cds.sh and measure-startup.sh: starts StartupTrainingCluster (the embedded API
# server over TLS and the simulator, from lib/demo/) and sets up how the operator reaches it.
#   start_training_cluster JAVA APP_JAR FULL_LIB_DIR WORK_DIR
# Afterwards POD_ENV holds the environment a pod gives the operator: KUBERNETES_SERVICE_HOST and
# _PORT, a service-account token file (fabric8 reads its path from the environment here, since
# /var/run/secrets is not ours to write), no kubeconfig; the API server's certificate is
# self-signed, so it is trusted for this run (a pod trusts the cluster's CA file instead).
# The cluster serves until file descriptor 3 closes (stop_training_cluster).
start_training_cluster() {
  local java=$1 jar=$2 full_lib=$3 work=$4
  mkfifo "$work/stdin"
  "$java" -cp "$jar:$full_lib/*:$full_lib/demo/*" io.agentdeploy.operator.runtime.StartupTrainingCluster \
    "$work/kubeconfig" <"$work/stdin" >"$work/cluster.log" 2>&1 &
  TRAINING_CLUSTER_PID=$!
  exec 3>"$work/stdin"
  for _ in $(seq 120); do grep -q TRAINING-CLUSTER-READY "$work/cluster.log" && break; sleep 0.5; done
  grep -q TRAINING-CLUSTER-READY "$work/cluster.log" || { cat "$work/cluster.log"; return 1; }
  local url hostport
  url=$(sed -n 's/.*server: "\([^"]*\)".*/\1/p' "$work/kubeconfig")
  hostport=${url#*://}; hostport=${hostport%%/*}
  printf training >"$work/token"   # as a projected token: no newline (fabric8 sends the file as is)
  POD_ENV=(KUBERNETES_SERVICE_HOST="${hostport%:*}" KUBERNETES_SERVICE_PORT="${hostport##*:}"
    KUBERNETES_AUTH_TRYKUBECONFIG=false KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN="$work/token"
    KUBERNETES_TRUST_CERTIFICATES=true)
}

stop_training_cluster() {
  exec 3>&-
  wait "$TRAINING_CLUSTER_PID" || true
}
