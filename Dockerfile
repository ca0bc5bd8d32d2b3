# Parley, built from this repository. Used by docker-compose.yml; runs any `parley` command.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q --no-transfer-progress -DskipTests -pl modules/app -am package

FROM eclipse-temurin:17-jre
COPY --from=build /src/modules/app/target/parley.jar /opt/parley/parley.jar
WORKDIR /var/lib/parley
ENTRYPOINT ["java", "-jar", "/opt/parley/parley.jar"]
CMD ["--help"]
