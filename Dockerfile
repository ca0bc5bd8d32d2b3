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

FROM eclipse-temurin:17-jre
# Not root: a user of its own, owning the data directory (a volume mounted there inherits it).
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/parley --shell /usr/sbin/nologin parley \
    && mkdir -p /var/lib/parley && chown parley:parley /var/lib/parley
COPY --from=build /src/modules/app/target/parley.jar /opt/parley/parley.jar
USER parley
WORKDIR /var/lib/parley
ENTRYPOINT ["java", "-jar", "/opt/parley/parley.jar"]
CMD ["--help"]
