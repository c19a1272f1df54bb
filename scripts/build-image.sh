#!/usr/bin/env bash
# Builds and checks the container image on a machine without a Docker engine or registry access:
# podman/buildah, a JRE base image made locally from Debian packages, the jar built on the host.
#   scripts/build-image.sh            # build localhost/agent-deployment-operator:dev and check it
# Environment: IMAGE (tag to build), BASE_IMAGE (local JRE base), ROOTFS_DIR (debootstrap cache).
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=${IMAGE:-localhost/agent-deployment-operator:dev}
BASE_IMAGE=${BASE_IMAGE:-localhost/debian-jre17:bookworm}
ROOTFS_DIR=${ROOTFS_DIR:-/var/tmp/agentdeploy-rootfs}
# Lowered limits and host networking: what works in this kind of sandbox (see shared/TOOLING.md).
RUN_OPTS=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --network=host)

need() { command -v "$1" >/dev/null 2>&1; }
if ! need podman || ! need debootstrap; then
  apt-get update -qq
  apt-get install -y -qq podman buildah runc debootstrap >/dev/null
fi

t0=$(date +%s)
if ! podman image exists "$BASE_IMAGE"; then
  mirror=$( (grep -hE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null || true) \
    | grep -oE 'https?://[^ ]*debian[^ ]*' | grep -v security | sed -n 1p || true)
  mirror=${mirror:-http://deb.debian.org/debian}
  echo "== base image: debootstrap bookworm + openjdk-17-jre-headless from $mirror"
  rm -rf "$ROOTFS_DIR"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$ROOTFS_DIR" "$mirror" >/dev/null
  tar -C "$ROOTFS_DIR" -c . | podman import - "$BASE_IMAGE" >/dev/null
fi
t1=$(date +%s)

if [ ! -f target/agent-deployment-operator.jar ] || [ ! -d target/lib ]; then
  echo "== building the jar"
  ./mvnw -B -q -DskipTests package
fi

echo "== image $IMAGE (runtime stage of the Dockerfile, prebuilt artefacts)"
podman build "${RUN_OPTS[@]}" --build-arg RUNTIME_IMAGE="$BASE_IMAGE" --build-arg ARTIFACTS=prebuilt \
  --target runtime -t "$IMAGE" -f Dockerfile . 
t2=$(date +%s)

echo "== check: the class-data-sharing archive matches the runtime JRE (-Xshare:on fails otherwise)"
podman run --rm "${RUN_OPTS[@]}" --entrypoint java "$IMAGE" -Xshare:on -XX:SharedArchiveFile=/app/app.jsa \
  -jar /app/agent-deployment-operator.jar --version

echo "== check: no demo-only dependency in the image; run, simulator and --help work; demo says one line"
! podman run --rm "${RUN_OPTS[@]}" --entrypoint sh "$IMAGE" -c 'ls /app/lib' | grep -E '^(netty|vertx|bc[a-z]+-jdk|kubernetes-server-mock|mockwebserver)'
[ ! "$(podman run --rm "${RUN_OPTS[@]}" --entrypoint sh "$IMAGE" -c 'ls -d /app/lib/demo 2>/dev/null')" ]
podman run --rm "${RUN_OPTS[@]}" --read-only --tmpfs /tmp "$IMAGE" --help | grep -q "Usage:"
podman run --rm "${RUN_OPTS[@]}" --read-only --tmpfs /tmp "$IMAGE" simulator --help | grep -q "Usage:"
demo=$(podman run --rm "${RUN_OPTS[@]}" --read-only --tmpfs /tmp "$IMAGE" demo 2>&1 || true)
echo "  demo: $demo"; [ "$(echo "$demo" | wc -l)" = 1 ] && echo "$demo" | grep -q "not in this image"
[ "$(podman run --rm "${RUN_OPTS[@]}" --entrypoint id "$IMAGE" -u)" = "10001" ]
podman image inspect "$IMAGE" --format '{{json .Labels}}' | grep -q org.opencontainers.image.source

echo "== startup (host): JVM start to first reconcile of run, against an API server in another process"
app=$(mktemp -d); mkdir -p "$app/lib"
cp -p target/agent-deployment-operator.jar "$app/"; cp -p target/lib/*.jar "$app/lib/"
scripts/train-cds.sh "$app" target/lib "$app/app.jsa" >/dev/null
scripts/measure-startup.sh "$app" target/lib "$app/app.jsa" 3
rm -rf "$app"

size=$(podman image inspect "$IMAGE" --format '{{.Size}}')
echo "== done: base image $((t1 - t0)) s, image build $((t2 - t1)) s, image size $((size / 1024 / 1024)) MiB"
