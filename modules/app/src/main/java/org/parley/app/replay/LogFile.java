package org.parley.app.replay;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The two file forms of an exported log: NDJSON (the JSON form, one event per line) and an Avro
 * object container file.
 */
public enum LogFile {
  NDJSON,
  AVRO;

  private static final byte[] AVRO_MAGIC = {'O', 'b', 'j', 1};

  /** By the file name when writing: {@code .avro} is Avro, anything else NDJSON. */
  static LogFile forName(Path file) {
    return file.getFileName().toString().endsWith(".avro") ? AVRO : NDJSON;
  }

  /** By the content when reading: an Avro container starts with "Obj" and the byte 1. */
  static LogFile detect(Path file) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      byte[] head = in.readNBytes(4);
      return Arrays.equals(head, AVRO_MAGIC) ? AVRO : NDJSON;
    }
  }
}
