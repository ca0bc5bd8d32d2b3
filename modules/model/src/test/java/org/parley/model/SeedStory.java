package org.parley.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.parley.avro.DiplomaticEvent;

/**
 * The seed story (the article's events), as shipped in the model jar, for tests in every module.
 */
public final class SeedStory {
  public static final String RESOURCE = "parley/seed/geneva-2016.ndjson";

  /**
   * What followed in September 2016, as the public record tells it: a second file, published after
   * the first.
   */
  public static final String AFTERMATH = "parley/seed/geneva-2016-aftermath.ndjson";

  public static final String TALK_ID = "syria-ceasefire-geneva-2016";

  private SeedStory() {}

  public static List<String> lines() {
    return lines(RESOURCE);
  }

  public static List<DiplomaticEvent> aftermath() {
    return lines(AFTERMATH).stream().map(SeedStory::parse).toList();
  }

  private static DiplomaticEvent parse(String line) {
    try {
      return Events.fromJson(line);
    } catch (InvalidRecord e) {
      throw new IllegalStateException("the seed story is invalid: " + e.getMessage(), e);
    }
  }

  public static List<String> lines(String resource) {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                SeedStory.class.getClassLoader().getResourceAsStream(resource),
                StandardCharsets.UTF_8))) {
      return reader.lines().filter(l -> !l.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<DiplomaticEvent> events() {
    return lines().stream()
        .map(
            line -> {
              try {
                return Events.fromJson(line);
              } catch (InvalidRecord e) {
                throw new IllegalStateException("the seed story is invalid: " + e.getMessage(), e);
              }
            })
        .toList();
  }
}
