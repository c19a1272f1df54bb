# syntax=docker/dockerfile:1
# Multi-stage: build with Maven, run on a JRE. Both base images are build arguments; the defaults
# are public images. scripts/build-image.sh builds the same runtime stage offline, from artefacts
# built on the host (ARTIFACTS=prebuilt) and a JRE base made locally from Debian packages.
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre
ARG ARTIFACTS=build

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

FROM ${RUNTIME_IMAGE} AS runtime
LABEL org.opencontainers.image.title="agent-deployment-operator" \
      org.opencontainers.image.licenses="Apache-2.0"
WORKDIR /app
COPY LICENSE /app/LICENSE
# Dependencies and the application jar are separate layers: a code change ships one small layer.
COPY --from=artifacts /src/target/lib/ /app/lib/
COPY --from=artifacts /src/target/agent-deployment-operator.jar /app/agent-deployment-operator.jar
# Class-data-sharing archive made with this image's own JRE, from a full in-process run (the demo:
# embedded API server, simulator, operator). A mismatched archive is silently ignored by the JVM;
# the image check starts it with -Xshare:on, which fails instead.
RUN java -XX:ArchiveClassesAtExit=/app/app.jsa -jar /app/agent-deployment-operator.jar demo > /tmp/training.log 2>&1 \
    || (cat /tmp/training.log; exit 1); rm -f /tmp/training.log
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/app.jsa", "-XX:MaxRAMPercentage=70", "-jar", "/app/agent-deployment-operator.jar"]
