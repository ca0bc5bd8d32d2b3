package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.app.runtime.EmbeddedBroker;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot be run here (no Docker engine), so this reads it and checks that it
 * agrees with Parley: brokers, listeners and quorum line up, the host reaches Kafka where Parley's
 * commands look by default, and the Parley instances share the work.
 */
class DockerComposeTest {
  private static Map<String, Map<String, Object>> services;
  private static Map<String, Object> volumes;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void read() throws Exception {
    try (Reader reader = Files.newBufferedReader(Path.of("../../docker-compose.yml"))) {
      Map<String, Object> compose = new Yaml().load(reader); // SnakeYAML resolves the <<: merges
      services = (Map<String, Map<String, Object>>) compose.get("services");
      volumes = (Map<String, Object>) compose.get("volumes");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> env(String service) {
    Map<String, String> env = new LinkedHashMap<>();
    ((Map<String, Object>) services.get(service).get("environment"))
        .forEach((k, v) -> env.put(k, v.toString()));
    return env;
  }

  @SuppressWarnings("unchecked")
  private static List<String> list(String service, String key) {
    return (List<String>) services.get(service).get(key);
  }

  private static List<String> kafkaServices() {
    return services.keySet().stream().filter(s -> s.startsWith("kafka-")).sorted().toList();
  }

  private static String option(List<String> command, String name) {
    int i = command.indexOf(name);
    return i < 0 ? null : command.get(i + 1);
  }

  @Test
  void threeKafkaNodesFormOneQuorumOnTheSameImageTheTestsUse() {
    assertThat(kafkaServices()).containsExactly("kafka-1", "kafka-2", "kafka-3");
    Set<String> voters = new TreeSet<>();
    for (String kafka : kafkaServices()) {
      Map<String, String> env = env(kafka);
      assertThat(services.get(kafka).get("image")).isEqualTo(ContainerKafkaPipelineIT.IMAGE);
      assertThat(env.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
      String controllerPort = listenerPort(env.get("KAFKA_LISTENERS"), "CONTROLLER");
      voters.add(env.get("KAFKA_NODE_ID") + "@" + kafka + ":" + controllerPort);
      assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS").split(","))
          .contains(env.get("KAFKA_NODE_ID") + "@" + kafka + ":" + controllerPort);
    }
    assertThat(String.join(",", voters))
        .isEqualTo(env("kafka-1").get("KAFKA_CONTROLLER_QUORUM_VOTERS"));
  }

  @Test
  void fromTheHostKafkaIsWhereParleysCommandsLookByDefault() {
    String external = listenerPort(env("kafka-1").get("KAFKA_LISTENERS"), "EXTERNAL");
    assertThat(list("kafka-1", "ports")).contains(EmbeddedBroker.DEFAULT_PORT + ":" + external);
    assertThat(env("kafka-1").get("KAFKA_ADVERTISED_LISTENERS"))
        .contains("EXTERNAL://localhost:" + EmbeddedBroker.DEFAULT_PORT);
    Set<String> hostPorts = new TreeSet<>();
    for (String kafka : kafkaServices()) {
      String port = list(kafka, "ports").get(0).split(":")[0];
      assertThat(env(kafka).get("KAFKA_ADVERTISED_LISTENERS"))
          .contains("EXTERNAL://localhost:" + port);
      hostPorts.add(port);
    }
    assertThat(hostPorts).hasSize(3);
  }

  @Test
  void topicsAndParleyInstancesBootstrapFromEveryBrokersInternalListener() {
    List<String> expected = new ArrayList<>();
    for (String kafka : kafkaServices()) {
      String internal = listenerPort(env(kafka).get("KAFKA_LISTENERS"), "INTERNAL");
      assertThat(env(kafka).get("KAFKA_ADVERTISED_LISTENERS"))
          .contains("INTERNAL://" + kafka + ":" + internal);
      expected.add(kafka + ":" + internal);
    }
    for (String service : List.of("topics", "parley-1", "parley-2")) {
      assertThat(option(list(service, "command"), "--bootstrap-servers"))
          .isEqualTo(String.join(",", expected));
    }
    List<String> topics = list("topics", "command");
    assertThat(topics.subList(0, 2)).containsExactly("topics", "create");
    assertThat(Integer.parseInt(option(topics, "--replication-factor")))
        .isEqualTo(kafkaServices().size())
        .isGreaterThan(Integer.parseInt(env("kafka-1").get("KAFKA_MIN_INSYNC_REPLICAS")));
  }

  @Test
  void eachGatewayIsPublishedOnItsPortAndAdvertisedByItsServiceNameSoTheOtherCanForwardQueries() {
    for (String service : List.of("parley-1", "parley-2")) {
      List<String> command = list(service, "command");
      String port = option(command, "--gateway-port");
      assertThat(Integer.parseInt(port)).isEqualTo(org.parley.gateway.Gateway.DEFAULT_PORT);
      assertThat(list(service, "ports").get(0)).endsWith(":" + port);
      assertThat(option(command, "--advertised-host")).isEqualTo(service);
      assertThat(option(command, "--gateway-bind")).isEqualTo("0.0.0.0");
      assertThat(env(service)).containsKey("PARLEY_GATEWAY_TOKEN");
    }
  }

  @Test
  void twoParleyInstancesShareOneApplicationWithOneTickerAndTheGatewayPortsReserved() {
    List<String> one = list("parley-1", "command");
    List<String> two = list("parley-2", "command");
    assertThat(one.get(0)).isEqualTo("run");
    assertThat(two.get(0)).isEqualTo("run");
    assertThat(option(one, "--application-id"))
        .isEqualTo(option(two, "--application-id")); // both the default
    assertThat(option(one, "--instance-id")).isNotEqualTo(option(two, "--instance-id"));
    assertThat(one.contains("--no-ticker") ^ two.contains("--no-ticker"))
        .as("exactly one ticks")
        .isTrue();
    assertThat(list("parley-1", "ports")).containsExactly("8080:8080");
    assertThat(list("parley-2", "ports")).containsExactly("8081:8080");
  }

  /** The named volume mounted at {@code path} in the service, or null. */
  private static String volumeAt(String service, String path) {
    for (String mount : list(service, "volumes")) {
      String[] parts = mount.split(":");
      if (parts[1].equals(path)) {
        return parts[0];
      }
    }
    return null;
  }

  @Test
  void everyBrokerKeepsItsLogDirsInANamedVolume() {
    Set<String> used = new TreeSet<>();
    for (String kafka : kafkaServices()) {
      String logDirs = env(kafka).get("KAFKA_LOG_DIRS");
      assertThat(logDirs)
          .as("%s sets its log dirs: the image's default is /tmp, outside any volume", kafka)
          .isNotNull();
      for (String logDir : logDirs.split(",")) {
        String volume = volumeAt(kafka, logDir);
        assertThat(volume).as("%s mounts a volume at its log dir %s", kafka, logDir).isNotNull();
        assertThat(volumes)
            .as("%s is a named volume, kept by `docker compose down`", volume)
            .containsKey(volume);
        assertThat(used.add(volume)).as("each broker has a volume of its own").isTrue();
      }
    }
  }

  @Test
  void everyParleyInstanceKeepsItsStoresInANamedVolume() {
    for (String service : List.of("parley-1", "parley-2")) {
      String dataDir = option(list(service, "command"), "--data-dir");
      assertThat(volumes).containsKey(volumeAt(service, dataDir));
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyLongRunningServiceHasAHealthcheckAndWaitsForWhatItNeedsToBeHealthy() {
    for (var service : services.entrySet()) {
      if (!service.getKey().equals("topics")) { // a one-shot: the others wait for it to complete
        assertThat((Map<String, Object>) service.getValue().get("healthcheck"))
            .as(service.getKey())
            .containsKey("test");
      }
      Object dependsOn = service.getValue().get("depends_on");
      if (dependsOn != null) {
        assertThat(dependsOn)
            .as("%s: depends_on with conditions", service.getKey())
            .isInstanceOf(Map.class);
        ((Map<String, Map<String, String>>) dependsOn)
            .forEach(
                (on, condition) ->
                    assertThat(condition.get("condition"))
                        .as("%s waits for %s", service.getKey(), on)
                        .isEqualTo(
                            on.equals("topics")
                                ? "service_completed_successfully"
                                : "service_healthy"));
      }
    }
    List<String> parleyHealth =
        (List<String>)
            ((Map<String, Object>) services.get("parley-1").get("healthcheck")).get("test");
    assertThat(String.join(" ", parleyHealth)).contains("/health").contains("localhost/8080");
  }

  @Test
  void theParleyImageIsBuiltOnceAndRunsAsAUserOtherThanRoot() throws Exception {
    List<String> building =
        services.entrySet().stream()
            .filter(s -> s.getValue().containsKey("build"))
            .map(Map.Entry::getKey)
            .toList();
    assertThat(building).containsExactly("topics");
    for (String service : List.of("topics", "parley-1", "parley-2")) {
      assertThat(services.get(service).get("image")).isEqualTo(services.get("topics").get("image"));
    }
    String dockerfile = Files.readString(Path.of("../../Dockerfile"));
    String runtime = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
    assertThat(runtime).containsPattern("\nUSER (?!root)\\S+");
    assertThat(dockerfile.indexOf("dependency:go-offline"))
        .as("dependencies are fetched before the sources come in")
        .isPositive()
        .isLessThan(dockerfile.indexOf("COPY modules modules"));
    assertThat(dockerfile).contains("--mount=type=cache");
    for (String module :
        List.of("model", "client", "core", "topology", "ingest", "gateway", "app", "bench")) {
      assertThat(dockerfile)
          .as("the dependency layer copies every module's pom")
          .contains("COPY modules/" + module + "/pom.xml");
    }
  }

  @Test
  void theImageRunsOnAJavaNoOlderThanItsBuildThatAcceptsTheOptionsItIsGiven() throws Exception {
    String dockerfile = Files.readString(Path.of("../../Dockerfile"));
    String runtime = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
    int built = javaMajor(dockerfile.substring(0, dockerfile.lastIndexOf("\nFROM ")));
    int runs = javaMajor(runtime);
    assertThat(runs).isGreaterThanOrEqualTo(built);

    java.util.regex.Matcher line =
        java.util.regex.Pattern.compile("(?m)^ENTRYPOINT (\\[.*])$").matcher(runtime);
    assertThat(line.find()).as("an ENTRYPOINT in exec form").isTrue();
    List<String> entrypoint =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readValue(line.group(1), new com.fasterxml.jackson.core.type.TypeReference<>() {});
    assertThat(entrypoint).startsWith("java").contains("-jar");
    // Java 24 and later print a plain-text warning on stderr when Kafka unmaps its files with
    // sun.misc.Unsafe (--log-format json would then not be JSON alone). The option that allows it
    // exists from Java 23, and an older Java refuses to start with it; it is the JVM's only if it
    // comes before -jar (after, Parley would get it as an argument).
    int option = entrypoint.indexOf("--sun-misc-unsafe-memory-access=allow");
    if (runs >= 24) {
      assertThat(option).as("Java %d needs the option, before -jar", runs).isPositive();
      assertThat(option).isLessThan(entrypoint.indexOf("-jar"));
    } else if (runs < 23) {
      assertThat(option).as("Java %d refuses the option", runs).isNegative();
    }
  }

  /** The major version of the first Temurin image a Dockerfile stage is built FROM. */
  private static int javaMajor(String stage) {
    java.util.regex.Matcher from =
        java.util.regex.Pattern.compile("FROM eclipse-temurin:(\\d+)-").matcher(stage);
    assertThat(from.find()).as("a stage FROM eclipse-temurin:<major>-...").isTrue();
    return Integer.parseInt(from.group(1));
  }

  private static String listenerPort(String listeners, String name) {
    for (String listener : listeners.split(",")) {
      if (listener.startsWith(name + "://")) {
        return listener.substring(listener.lastIndexOf(':') + 1);
      }
    }
    throw new AssertionError("no " + name + " listener in " + listeners);
  }
}
