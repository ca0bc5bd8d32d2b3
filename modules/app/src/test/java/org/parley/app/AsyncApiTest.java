package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.parley.client.Topics;
import org.yaml.snakeyaml.Yaml;

/**
 * docs/asyncapi.yaml says what the topics are: the same names, schemas and settings as Parley
 * creates.
 */
class AsyncApiTest {
  static final Path DOC = Path.of("../../docs/asyncapi.yaml");

  @Test
  @SuppressWarnings("unchecked")
  void everyTopicIsAChannelWithItsNameSettingsAndSchema() throws Exception {
    Map<String, Object> doc = new Yaml().load(Files.readString(DOC));
    assertThat(doc.get("asyncapi")).isEqualTo("3.0.0");
    Map<String, Map<String, Object>> channels =
        (Map<String, Map<String, Object>>) doc.get("channels");
    Map<String, Map<String, Object>> byAddress = new java.util.HashMap<>();
    channels.values().forEach(c -> byAddress.put((String) c.get("address"), c));

    for (Topics.Spec spec : Topics.standard().specs()) {
      assertThat(byAddress).as("a channel for %s", spec.name()).containsKey(spec.name());
      Map<String, Object> config =
          (Map<String, Object>)
              ((Map<String, Object>)
                      ((Map<String, Object>) byAddress.get(spec.name()).get("bindings"))
                          .get("kafka"))
                  .get("topicConfiguration");
      spec.config()
          .forEach(
              (key, value) -> {
                Object documented = config.get(key);
                assertThat(
                        documented instanceof List<?> list
                            ? String.join(",", (List<String>) list)
                            : String.valueOf(documented))
                    .as("%s %s", spec.name(), key)
                    .isEqualTo(value);
              });
    }
    Map<String, Map<String, Object>> messages =
        (Map<String, Map<String, Object>>)
            ((Map<String, Object>) doc.get("components")).get("messages");
    for (String record : List.of("DiplomaticEvent", "TalkState", "Alert")) {
      Map<String, Object> payload = (Map<String, Object>) messages.get(record).get("payload");
      String ref = (String) ((Map<String, Object>) payload.get("schema")).get("$ref");
      assertThat(DOC.resolveSibling(ref)).as("%s's schema", record).exists();
      assertThat(Files.readString(DOC.resolveSibling(ref)))
          .contains("\"name\": \"" + record + "\"");
    }
  }
}
