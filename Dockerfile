# syntax=docker/dockerfile:1
# Parley, built from this repository. Used by docker-compose.yml; runs any `parley` command.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
# The build files first: the layer that fetches Maven and every dependency is rebuilt only when a
# pom changes, not on every change to the sources.
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY modules/model/pom.xml modules/model/
COPY modules/client/pom.xml modules/client/
COPY modules/core/pom.xml modules/core/
COPY modules/topology/pom.xml modules/topology/
COPY modules/ingest/pom.xml modules/ingest/
COPY modules/gateway/pom.xml modules/gateway/
COPY modules/app/pom.xml modules/app/
COPY modules/bench/pom.xml modules/bench/
COPY examples/alert-notifier/pom.xml examples/alert-notifier/
# The Maven cache is also a BuildKit cache mount, kept between builds even when this layer is redone.
RUN --mount=type=cache,id=parley-m2,target=/root/.m2 \
    ./mvnw -B -q --no-transfer-progress -pl modules/app -am dependency:go-offline -DexcludeReactor=true
COPY schemas schemas
COPY modules modules
RUN --mount=type=cache,id=parley-m2,target=/root/.m2 \
    ./mvnw -B -q --no-transfer-progress -DskipTests -pl modules/app -am package

# Built for Java 17 (above), run on Java 25: on two cores, in alternating runs on the host, the
# same jar folded 1.37 times as fast, and the pipeline bench ran faster too (README, Performance).
FROM eclipse-temurin:25-jre
# Not root: a user of its own, owning the data directory (a volume mounted there inherits it).
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/parley --shell /usr/sbin/nologin parley \
    && mkdir -p /var/lib/parley && chown parley:parley /var/lib/parley
COPY --from=build /src/modules/app/target/parley.jar /opt/parley/parley.jar
USER parley
WORKDIR /var/lib/parley
# Java 24 and later warn on stderr, in plain text, when Kafka's broker unmaps its files with
# sun.misc.Unsafe (at shutdown, or when it deletes a segment), which would break --log-format json.
# (Java 17 refuses the option.)
ENTRYPOINT ["java", "--sun-misc-unsafe-memory-access=allow", "-jar", "/opt/parley/parley.jar"]
CMD ["--help"]
