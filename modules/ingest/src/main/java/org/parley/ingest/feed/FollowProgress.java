package org.parley.ingest.feed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;

/**
 * How far a follower has got: the last export it finished (imported, or found missing), kept in a
 * one-line file under the data directory and replaced atomically, so a follower stopped at any
 * point resumes after the last file it finished. A file it had begun is imported again on restart;
 * that adds nothing, because an import skips the events already on the topic.
 */
public final class FollowProgress {
  private final Path file;

  public FollowProgress(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** The slot of the last export finished, if any. */
  public Optional<Instant> last() throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    String name = Files.readString(file, StandardCharsets.UTF_8).strip();
    try {
      return Optional.of(GdeltUpdates.slotOf(name));
    } catch (IOException e) {
      throw new IOException(
          file + ": " + e.getMessage() + "; delete the file to start from the latest export");
    }
  }

  public void finished(GdeltUpdates.Export export) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path next = file.resolveSibling(file.getFileName() + ".next");
    Files.writeString(next, export.fileName() + "\n", StandardCharsets.UTF_8);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
