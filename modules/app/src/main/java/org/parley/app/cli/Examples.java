package org.parley.app.cli;

import java.util.List;
import java.util.Map;

/** What `--help` shows under "Examples:" for each command: the commands people type most. */
final class Examples {
  private static final Map<String, List<String>> BY_COMMAND =
      Map.ofEntries(
          Map.entry(
              "",
              List.of(
                  "parley up                                # all on this machine, with the seed story",
                  "parley tail alerts --format text         # alerts as they happen",
                  "parley generate-completion > parley.bash # then: source parley.bash")),
          Map.entry(
              "up",
              List.of(
                  "parley up",
                  "parley up --data-dir /var/lib/parley --gateway-port 8080",
                  "parley up --bootstrap-server kafka:9092 --no-demo",
                  "parley up --secure")),
          Map.entry(
              "run",
              List.of(
                  "parley run --bootstrap-server kafka1:9092,kafka2:9092 --config client.properties",
                  "parley run -b kafka:9092 -X security.protocol=SASL_SSL -X sasl.mechanism=SCRAM-SHA-512 --print-alerts")),
          Map.entry(
              "publish",
              List.of(
                  "parley publish events.ndjson",
                  "cat events.ndjson | parley publish - --bootstrap-server kafka:9092")),
          Map.entry(
              "tail",
              List.of(
                  "parley tail alerts",
                  "parley tail talks --from-beginning --exit-at-end --format text",
                  "parley tail alerts --format '%p/%o %T %k %s'      # kcat-like: partition/offset, time, key, value",
                  "parley tail dead-letters --from-beginning --limit 10")),
          Map.entry(
              "topics",
              List.of(
                  "parley topics create --partitions 12 -b kafka:9092", "parley topics describe")),
          Map.entry(
              "topics create",
              List.of("parley topics create --partitions 12 --replication-factor 3 -b kafka:9092")),
          Map.entry(
              "topics describe",
              List.of("parley topics describe -b kafka:9092 --config client.properties")),
          Map.entry(
              "talk",
              List.of(
                  "parley talk syria-ceasefire-geneva-2016",
                  "parley talk syria-ceasefire-geneva-2016 --as-of 2016-09-10T00:00:00Z")),
          Map.entry(
              "rebuild",
              List.of("parley rebuild", "parley rebuild --from-time 2016-09-01T00:00:00Z")),
          Map.entry(
              "diff",
              List.of(
                  "parley diff --right parley.talk-state.rebuild-1  # exit code 0 same, 1 differ")),
          Map.entry(
              "export",
              List.of(
                  "parley export log.ndjson",
                  "parley export log.avro --talk syria-ceasefire-geneva-2016",
                  "parley export september.ndjson --from 2016-09-01T00:00:00Z --to 2016-10-01T00:00:00Z")),
          Map.entry(
              "import",
              List.of(
                  "parley import log.ndjson --bootstrap-server other-cluster:9092",
                  "parley import log.avro")),
          Map.entry(
              "import-feed",
              List.of(
                  "parley import-feed gdelt 20161001.export.CSV --dry-run",
                  "parley import-feed icews events.2018.tab --window month")),
          Map.entry(
              "bench",
              List.of("parley bench", "parley bench --talks 1000 --events 200000 --rate 1000")));

  private Examples() {}

  static List<String> of(String command) {
    return BY_COMMAND.getOrDefault(command, List.of());
  }
}
