#!/usr/bin/env bash
# Builds and checks the container image on a machine without a Docker engine or registry access:
# podman/buildah, a Java 25 base image made locally (a Debian minbase root file system, and a Java
# runtime linked with jlink from a JDK 25 on this machine), the jar built on the host.
#   scripts/build-image.sh            # build localhost/agent-deployment-operator:dev and check it
# Environment: IMAGE (tag to build), BASE_IMAGE (local JRE base), ROOTFS_DIR (debootstrap cache),
# JDK25_HOME (the JDK whose runtime the base gets; default: a Temurin 25 under /usr/lib/jvm).
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=${IMAGE:-localhost/agent-deployment-operator:dev}
BASE_IMAGE=${BASE_IMAGE:-localhost/debian-jre25:bookworm}
ROOTFS_DIR=${ROOTFS_DIR:-/var/tmp/agentdeploy-rootfs-min}
JDK25_HOME=${JDK25_HOME:-$(ls -d /usr/lib/jvm/temurin-25-jdk* 2>/dev/null | sed -n 1p)}
# No `grep -q` after `podman run`: it stops reading at the first match, podman fails writing the
# rest (broken pipe, exit 126), and pipefail turns a passing check into a failure.
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
  [ -x "$JDK25_HOME/bin/jlink" ] || { echo "no JDK 25 to link a runtime from: set JDK25_HOME"; exit 1; }
  echo "== base image: debootstrap bookworm (minbase) from $mirror + a Java 25 runtime from $JDK25_HOME"
  [ -x "$ROOTFS_DIR/bin/sh" ] || { rm -rf "$ROOTFS_DIR"; debootstrap --variant=minbase bookworm "$ROOTFS_DIR" "$mirror" >/dev/null; }
  base=$(mktemp -d)
  cp -a "$ROOTFS_DIR/." "$base/"
  # The modules of a JRE image (java.se and the JDK's runtime services), not the tools; and a
  # default CDS archive, as the JDK's own runtime has.
  "$JDK25_HOME/bin/jlink" --add-modules java.se,jdk.unsupported,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.management,jdk.management.agent,jdk.jfr,jdk.net,jdk.naming.dns,jdk.zipfs,jdk.localedata,jdk.charsets,jdk.httpserver \
    --strip-debug --no-man-pages --no-header-files --generate-cds-archive --output "$base/opt/java/openjdk" >/dev/null
  # The same layout and environment as the eclipse-temurin images.
  tar -C "$base" -c . | podman import --change 'ENV JAVA_HOME=/opt/java/openjdk' \
    --change 'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    - "$BASE_IMAGE" >/dev/null
  rm -rf "$base"
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

echo "== check: the start-up archive matches the image's JVM (-XX:AOTMode=on fails otherwise)"
podman run --rm "${RUN_OPTS[@]}" --entrypoint sh "$IMAGE" -c 'cat /app/jvm.options'
podman run --rm "${RUN_OPTS[@]}" --entrypoint java "$IMAGE" @/app/jvm.options -XX:AOTMode=on \
  -jar /app/agent-deployment-operator.jar --version

echo "== check: no demo-only dependency in the image; run, simulator and --help work; demo says one line"
! podman run --rm "${RUN_OPTS[@]}" --entrypoint sh "$IMAGE" -c 'ls /app/lib' | grep -E '^(netty|vertx|bc[a-z]+-jdk|kubernetes-server-mock|mockwebserver)'
[ ! "$(podman run --rm "${RUN_OPTS[@]}" --entrypoint sh "$IMAGE" -c 'ls -d /app/lib/demo 2>/dev/null')" ]
podman run --rm "${RUN_OPTS[@]}" --read-only --tmpfs /tmp "$IMAGE" --help | grep "Usage:" >/dev/null
podman run --rm "${RUN_OPTS[@]}" --read-only --tmpfs /tmp "$IMAGE" simulator --help | grep "Usage:" >/dev/null
demo=$(podman run --rm "${RUN_OPTS[@]}" --read-only --tmpfs /tmp "$IMAGE" demo 2>&1 || true)
echo "  demo: $demo"; [ "$(echo "$demo" | wc -l)" = 1 ] && echo "$demo" | grep -q "not in this image"
[ "$(podman run --rm "${RUN_OPTS[@]}" --entrypoint id "$IMAGE" -u)" = "10001" ]
podman image inspect "$IMAGE" --format '{{json .Labels}}' | grep org.opencontainers.image.source >/dev/null

echo "== startup (host, the base's JDK): JVM start to first reconcile of run, against an API server in another process"
app=$(mktemp -d); mkdir -p "$app/lib"
cp -p target/agent-deployment-operator.jar "$app/"; cp -p target/lib/*.jar "$app/lib/"
JAVA="${JDK25_HOME:+$JDK25_HOME/bin/}java" scripts/train-cds.sh "$app" target/lib "$app/app.aot" >/dev/null
JAVA="${JDK25_HOME:+$JDK25_HOME/bin/}java" scripts/measure-startup.sh "$app" target/lib "$app/app.aot" 3
rm -rf "$app"

size=$(podman image inspect "$IMAGE" --format '{{.Size}}')
echo "== done: base image $((t1 - t0)) s, image build $((t2 - t1)) s, image size $((size / 1024 / 1024)) MiB"
