package org.parley.app.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.parley.app.runtime.Logging;
import org.parley.client.ParleyClients;
import org.parley.client.Topics;
import org.parley.model.JsonForm;
import org.parley.model.RecordCodec;
import org.parley.model.UndecodableRecord;
import org.parley.topology.DeadLetter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "tail",
    description = {
      "Print alerts, talk states or dead letters as they are committed (read_committed): JSON lines, text, or a",
      "kcat-like template with partition, offset, timestamp and key (--format).",
      "Dead letters show the reason, the kind of problem and where the record came from."
    })
final class TailCommand implements Callable<Integer> {

  enum What {
    alerts,
    talks,
    dead_letters
  }

  @Spec CommandSpec spec;

  @Mixin Logging.Options logging;

  @Mixin ClusterOptions cluster;

  @Parameters(
      index = "0",
      paramLabel = "WHAT",
      converter = WhatConverter.class,
      description = "alerts, talks or dead-letters")
  What what;

  @Option(
      names = "--from-beginning",
      negatable = false,
      description = "Start from the oldest record, not from now.")
  boolean fromBeginning;

  @Option(names = "--talk", paramLabel = "ID", description = "Only this talk's records.")
  String talk;

  @Option(names = "--limit", paramLabel = "N", description = "Stop after N records.")
  Long limit;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      defaultValue = "json",
      description = {
        "json (default: the JSON form, one per line), text (one line for a person), or a kcat-like template:",
        // Picocli formats descriptions: a percent sign is written %%.
        "%%t topic, %%p partition, %%o offset, %%T timestamp (ms), %%D timestamp (ISO), %%k key,",
        "%%s value (JSON), %%S value size, %%h headers, \\n, \\t; e.g. '%%p/%%o %%D %%k %%s'."
      })
  String format;

  @Option(
      names = "--exit-at-end",
      negatable = false,
      description = "Stop on reaching the records that existed when it started (like kcat -e).")
  boolean exitAtEnd;

  static final class WhatConverter implements picocli.CommandLine.ITypeConverter<What> {
    @Override
    public What convert(String value) {
      return switch (value) {
        case "alerts" -> What.alerts;
        case "talks" -> What.talks;
        case "dead-letters" -> What.dead_letters;
        default ->
            throw new picocli.CommandLine.TypeConversionException(
                "'" + value + "' is not one of alerts, talks, dead-letters");
      };
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    RecordFormat lines = RecordFormat.parse(format);
    Topics topics = Topics.standard();
    String topic =
        switch (what) {
          case alerts -> topics.alerts().name();
          case talks -> topics.talkState().name();
          case dead_letters -> topics.deadLetters().name();
        };
    // Values are read as bytes and decoded here: one record that is not Parley Avro (anyone may
    // write one) is reported and passed, where a deserializer would stop the consumer at it for
    // good.
    RecordCodec<?> codec =
        switch (what) {
          case alerts -> RecordCodec.alerts();
          case talks -> RecordCodec.talks();
          case dead_letters -> null;
        };
    PrintWriter err = spec.commandLine().getErr();
    cluster.requireTopics(topic);
    try (KafkaConsumer<byte[], ?> consumer =
        ParleyClients.committedReader(
            cluster.bootstrapServers,
            cluster.clientProperties(),
            topic,
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      Set<TopicPartition> partitions = consumer.assignment();
      if (fromBeginning) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
      }
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      CountDownLatch done = new CountDownLatch(1);
      Thread hook =
          new Thread(
              () -> {
                consumer.wakeup();
                try {
                  done.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      Runtime.getRuntime().addShutdownHook(hook);
      long printed = 0;
      try {
        while (limit == null || printed < limit) {
          if (exitAtEnd && partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p))) {
            break;
          }
          for (ConsumerRecord<byte[], ?> record : consumer.poll(Duration.ofMillis(500))) {
            String key =
                record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            if (talk != null && !talk.equals(key)) {
              continue;
            }
            if (what == What.dead_letters) {
              out.println(lines.format(deadLetterLine(record, key)));
            } else {
              Object value;
              try {
                value = record.value() == null ? null : codec.decode((byte[]) record.value());
              } catch (UndecodableRecord e) {
                err.printf(
                    "skipped %s-%d@%d: not a Parley record (%s)%n",
                    record.topic(), record.partition(), record.offset(), e.getMessage());
                err.flush();
                continue;
              }
              out.println(
                  lines.format(
                      new RecordFormat.Printed(
                          record,
                          key,
                          RecordFormat.json(value),
                          RecordFormat.text(record, key, value))));
            }
            if (limit != null && ++printed >= limit) {
              break;
            }
          }
          out.flush();
        }
      } catch (WakeupException e) {
        // Ctrl-C
      } finally {
        done.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // already shutting down
        }
      }
    }
    return 0;
  }

  private static RecordFormat.Printed deadLetterLine(ConsumerRecord<byte[], ?> record, String key) {
    return new RecordFormat.Printed(
        record,
        key,
        deadLetter(record, key),
        String.format(
            "%s  %s/%s@%s  %s: %s",
            java.time.Instant.ofEpochMilli(record.timestamp()),
            DeadLetter.header(record.headers(), DeadLetter.SOURCE_TOPIC),
            DeadLetter.header(record.headers(), DeadLetter.SOURCE_PARTITION),
            DeadLetter.header(record.headers(), DeadLetter.SOURCE_OFFSET),
            DeadLetter.header(record.headers(), DeadLetter.KIND),
            DeadLetter.header(record.headers(), DeadLetter.REASON)));
  }

  private static String deadLetter(ConsumerRecord<byte[], ?> record, String key) {
    ObjectNode node = JsonForm.MAPPER.createObjectNode();
    node.put("key", key);
    node.put("kind", DeadLetter.header(record.headers(), DeadLetter.KIND));
    node.put("reason", DeadLetter.header(record.headers(), DeadLetter.REASON));
    node.put("exception", DeadLetter.header(record.headers(), DeadLetter.EXCEPTION));
    ObjectNode source = node.putObject("source");
    source.put("topic", DeadLetter.header(record.headers(), DeadLetter.SOURCE_TOPIC));
    source.put("partition", DeadLetter.header(record.headers(), DeadLetter.SOURCE_PARTITION));
    source.put("offset", DeadLetter.header(record.headers(), DeadLetter.SOURCE_OFFSET));
    node.put("deadLetterOffset", record.offset());
    byte[] value = (byte[]) record.value();
    if (value != null) {
      node.put("valueBase64", Base64.getEncoder().encodeToString(value));
      try {
        node.put(
            "valueText",
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(value)).toString());
      } catch (CharacterCodingException e) {
        // binary (Avro); base64 only
      }
    }
    return node.toString();
  }
}
