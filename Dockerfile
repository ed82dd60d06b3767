# Build stage: compiles the service and the CLI with their runtime dependencies.
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -DskipTests -pl rampart-server,rampart-cli -am package

# Run stage: a JRE, the jars, and an unprivileged user.
FROM eclipse-temurin:21-jre
# libgomp1: XGBoost's native library, which trains flap models, needs OpenMP.
RUN apt-get update && apt-get install -y --no-install-recommends curl libgomp1 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/rampart --create-home rampart
COPY --from=build /src/rampart-server/target/rampart-server.jar /opt/rampart/server/
COPY --from=build /src/rampart-server/target/lib/ /opt/rampart/server/lib/
COPY --from=build /src/rampart-cli/target/rampart-cli.jar /opt/rampart/cli/
COPY --from=build /src/rampart-cli/target/lib/ /opt/rampart/cli/lib/
COPY --from=build /src/deploy/jvm-memory.sh /src/deploy/container-entrypoint.sh /opt/rampart/
USER rampart
WORKDIR /var/lib/rampart
ENV RAMPART_DATA_DIR=/var/lib/rampart/data
VOLUME /var/lib/rampart/data
EXPOSE 8080 11019 3323
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:${RAMPART_HTTP_PORT:-8080}/health/ready || exit 1
# java with the bounds of RAMPART_MEMORY (unset: the JVM's defaults), then RAMPART_JAVA_OPTS.
ENTRYPOINT ["/opt/rampart/container-entrypoint.sh"]
