# syntax=docker/dockerfile:1
# Multi-stage: build with Maven, run on a JRE. Both base images are build arguments; the defaults
# are public images. scripts/build-image.sh builds the same runtime stage offline, from artefacts
# built on the host (ARTIFACTS=prebuilt) and a JRE base made locally from Debian packages.
# Base images are pinned by digest (the tag stays for readers; the digest decides what is pulled),
# for reproducible builds and CVE scans. The digests are the multi-platform index digests that
# docker-library/repo-info recorded for these tags: maven:3.9-eclipse-temurin-17 (JDK 17.0.20+8,
# built 2026-09-16, repo-info commit 1fd86ba) and eclipse-temurin:25-jre (JRE 25.0.4+7, built
# 2026-09-09, repo-info commit 11bfd4f). They were not pulled where this file was written (no
# registry access there). To move to a newer base, look up the tag's digest
# (`docker buildx imagetools inspect eclipse-temurin:25-jre`) and change the line, or pass
# --build-arg BUILD_IMAGE=... / RUNTIME_IMAGE=... (a tag or tag@digest) for one build.
# The runtime is Java 25 (the current LTS) for its ahead-of-time cache, which takes the operator's
# start to its first reconcile sooner than Java 17's class-data archive does
# (docs/install.md); the jar itself is built for Java 17 (`maven.compiler.release`, so the build
# image's JDK 17 is enough) and runs on any JRE from 17 on.
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17@sha256:42a3ac393abbc64dae6c96703e5ead2e921fe9103371ac58b5b404b0d6a26502
ARG RUNTIME_IMAGE=eclipse-temurin:25-jre@sha256:15090d159279e5c158473eccb48cd87f57b3e3a47511a797eb5a7a7ea6f86b0f
ARG ARTIFACTS=build
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
# Dependencies first: this layer is reused until pom.xml changes.
RUN ./mvnw -B -q dependency:go-offline
COPY src src
COPY examples examples
RUN ./mvnw -B -q -DskipTests package

FROM scratch AS prebuilt
COPY target/lib /src/target/lib
COPY target/agent-deployment-operator.jar /src/target/agent-deployment-operator.jar

FROM ${ARTIFACTS} AS artifacts

# The start-up archive, trained on the operator's own start path: `run` against a Kubernetes API
# in another process (the embedded API server and the simulator, from lib/demo/, which only this
# stage has). On Java 25 it is an ahead-of-time cache; on a Java 17 RUNTIME_IMAGE, a class-data
# archive. The operator runs from /app laid out exactly as in the image, since an archive matches
# one class path and one JVM; the runtime stage copies /app from here unchanged (jar timestamps
# included). jvm.options holds the flag that reads this archive on this JVM, so the entrypoint and
# the chart (`java @/app/jvm.options`) need not know which JVM the image has. The image check
# starts it with -XX:AOTMode=on (Java 17: -Xshare:on), which fails on a mismatch.
FROM ${RUNTIME_IMAGE} AS training
COPY --from=artifacts /src/target/lib/*.jar /app/lib/
COPY --from=artifacts /src/target/agent-deployment-operator.jar /app/agent-deployment-operator.jar
COPY --from=artifacts /src/target/lib /training/lib
COPY scripts/ /training/scripts/
RUN /training/scripts/train-cds.sh /app /training/lib /app/app.aot /app/jvm.options

FROM ${RUNTIME_IMAGE} AS runtime
ARG VERSION
ARG REVISION
ARG CREATED
LABEL org.opencontainers.image.title="agent-deployment-operator" \
      org.opencontainers.image.description="Kubernetes operator that deploys AI agents to LangSmith and Agentex control planes" \
      org.opencontainers.image.source="https://github.com/acme/agent-deployment-operator" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}"
WORKDIR /app
COPY LICENSE /app/LICENSE
# Only lib/*.jar: the demo's dependencies (lib/demo/: mock API server, vert.x, netty, BouncyCastle)
# stay out of the production image; `demo` says so in one line. Dependencies, the application jar
# and the archive are separate layers: a code change ships the small ones.
COPY --from=training /app/lib/ /app/lib/
COPY --from=training /app/agent-deployment-operator.jar /app/agent-deployment-operator.jar
COPY --from=training /app/app.aot /app/jvm.options /app/
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["java", "@/app/jvm.options", "-XX:MaxRAMPercentage=70", "-jar", "/app/agent-deployment-operator.jar"]
