package org.parley.ingest.feed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * GDELT 2.0's update files, as GDELT serves them: every 15 minutes a new Events export, {@code
 * <yyyyMMddHHmmss>.export.CSV.zip} (one CSV inside), and {@code lastupdate.txt} naming the latest
 * one per line as {@code <size> <md5> <url>} (with the mentions and GKG files of the same slot).
 */
public final class GdeltUpdates {
  /** GDELT publishes an export every 15 minutes, at :00, :15, :30 and :45. */
  public static final Duration INTERVAL = Duration.ofMinutes(15);

  public static final URI DEFAULT_BASE = URI.create("http://data.gdeltproject.org/gdeltv2/");
  private static final String SUFFIX = ".export.CSV.zip";
  private static final DateTimeFormatter SLOT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

  /**
   * The largest export GDELT has published is a few MB zipped; anything far larger is not an
   * export.
   */
  private static final long MAX_ZIP = 200L * 1024 * 1024;

  /**
   * One export: its 15-minute slot, and the size and MD5 lastupdate.txt gives for it (null when
   * unknown).
   */
  public record Export(Instant slot, Long size, String md5) {
    public String fileName() {
      return SLOT.format(slot.atOffset(ZoneOffset.UTC)) + SUFFIX;
    }

    @Override
    public String toString() {
      return fileName();
    }
  }

  private final URI base;
  private final HttpClient http;

  public GdeltUpdates(URI base) {
    this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(20))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  public URI base() {
    return base;
  }

  /** The latest export, from {@code lastupdate.txt}. */
  public Export latest() throws IOException {
    URI uri = base.resolve("lastupdate.txt");
    Fetched response = get(uri);
    if (response.status() != 200) {
      throw new IOException(uri + ": HTTP " + response.status());
    }
    return parseLastUpdate(
        new String(response.body(), java.nio.charset.StandardCharsets.UTF_8), uri.toString());
  }

  /** The line of {@code lastupdate.txt} that names the Events export. */
  static Export parseLastUpdate(String text, String where) throws IOException {
    int number = 0;
    for (String line : text.split("\n")) {
      number++;
      String[] parts = line.strip().split("\\s+");
      if (parts.length == 3 && parts[2].endsWith(SUFFIX)) {
        String name = parts[2].substring(parts[2].lastIndexOf('/') + 1);
        try {
          return new Export(slotOf(name), Long.parseLong(parts[0]), parts[1].toLowerCase());
        } catch (NumberFormatException e) {
          throw new IOException(
              where + ", line " + number + ": '" + parts[0] + "' is not a size in bytes");
        }
      }
    }
    throw new IOException(
        where + ": no line names an Events export (<size> <md5> <url ending in " + SUFFIX + ">)");
  }

  /** The slot of an export file name such as 20150218230000.export.CSV.zip. */
  public static Instant slotOf(String fileName) throws IOException {
    if (!fileName.endsWith(SUFFIX)) {
      throw new IOException(
          "'" + fileName + "' is not a GDELT Events export name (yyyyMMddHHmmss" + SUFFIX + ")");
    }
    try {
      return LocalDateTime.parse(fileName.substring(0, fileName.length() - SUFFIX.length()), SLOT)
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new IOException(
          "'" + fileName + "' is not a GDELT Events export name (yyyyMMddHHmmss" + SUFFIX + ")");
    }
  }

  /**
   * The exports to fetch after {@code last} up to {@code latest}, in order: each 15-minute slot in
   * between (GDELT names them by time), then the latest itself, with its size and MD5.
   */
  public static List<Export> after(Instant last, Export latest) {
    List<Export> due = new ArrayList<>();
    for (Instant slot = last.plus(INTERVAL);
        slot.isBefore(latest.slot());
        slot = slot.plus(INTERVAL)) {
      due.add(new Export(slot, null, null));
    }
    if (latest.slot().isAfter(last)) {
      due.add(latest);
    }
    return due;
  }

  /**
   * The CSV inside an export, or empty when GDELT has no file for that slot (404: GDELT skips a
   * slot now and then). Checks the size and MD5 where they are known, and the zip's own CRC.
   */
  public Optional<byte[]> download(Export export) throws IOException {
    URI uri = base.resolve(export.fileName());
    Fetched response = get(uri);
    if (response.status() == 404) {
      return Optional.empty();
    }
    if (response.status() != 200) {
      throw new IOException(uri + ": HTTP " + response.status());
    }
    byte[] zip = response.body();
    if (export.size() != null && zip.length != export.size()) {
      throw new IOException(
          uri + ": " + zip.length + " bytes, but lastupdate.txt says " + export.size());
    }
    if (export.md5() != null && !export.md5().equals(md5(zip))) {
      throw new IOException(
          uri + ": MD5 " + md5(zip) + ", but lastupdate.txt says " + export.md5());
    }
    return Optional.of(unzip(zip, uri.toString()));
  }

  private record Fetched(int status, byte[] body) {}

  private Fetched get(URI uri) throws IOException {
    try {
      HttpResponse<InputStream> response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        byte[] bytes = body.readNBytes((int) MAX_ZIP + 1);
        if (bytes.length > MAX_ZIP) {
          throw new IOException(uri + ": larger than " + MAX_ZIP + " bytes; not a GDELT export");
        }
        return new Fetched(response.statusCode(), bytes);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching " + uri, e);
    }
  }

  /** The one CSV in an export zip. */
  static byte[] unzip(byte[] zip, String where) throws IOException {
    try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
      ZipEntry entry = in.getNextEntry();
      if (entry == null) {
        throw new IOException(where + ": not a zip, or an empty one");
      }
      ByteArrayOutputStream csv = new ByteArrayOutputStream();
      in.transferTo(csv); // ZipInputStream checks the entry's CRC as it reaches the end
      return csv.toByteArray();
    }
  }

  static String md5(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
