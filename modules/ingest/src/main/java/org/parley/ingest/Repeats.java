package org.parley.ingest;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import org.parley.avro.DiplomaticEvent;
import org.parley.model.Events;
import org.parley.model.RecordCodec;

/**
 * Tells a repeated event from a clash within one file. A log can hold the same event twice (a
 * producer sent it again; the fold ignores the second copy), so an export of it can too: such a
 * copy, identical to the first, is a repeat to skip. The same talk and event id with other content
 * is a clash: one of the two would be silently lost downstream, so it stays an error. The one check
 * of repeated ids in a batch: {@link EventLines} for files, the gateway for a request (which
 * refuses repeats and clashes alike).
 */
public final class Repeats {

  /**
   * FIRST: the first event with its id; REPEAT: identical to an earlier one; CLASH: its id, other
   * content.
   */
  public enum Kind {
    FIRST,
    REPEAT,
    CLASH
  }

  /**
   * What an event is, compared with the earlier ones of the file; {@code where} is the earlier
   * one's line or record.
   */
  public record Verdict(Kind kind, long where) {}

  private static final Verdict FIRST = new Verdict(Kind.FIRST, 0);

  /**
   * Where each id was first seen and a digest of that event (16 bytes, not the event: files can be
   * large).
   */
  private record Seen(long where, long high, long low) {}

  private final Map<String, Seen> seen = new HashMap<>();

  /**
   * Judges one event. {@code content} is the event as written in the file: for a line stamped on
   * reading (no recordedAt), pass the event before stamping, so two such lines still compare equal.
   */
  public Verdict check(DiplomaticEvent event, DiplomaticEvent content, long where) {
    ByteBuffer digest = ByteBuffer.wrap(digest(content));
    Seen now = new Seen(where, digest.getLong(), digest.getLong());
    Seen earlier = seen.putIfAbsent(Events.identity(event), now);
    if (earlier == null) {
      return FIRST;
    }
    boolean same = earlier.high() == now.high() && earlier.low() == now.low();
    return new Verdict(same ? Kind.REPEAT : Kind.CLASH, earlier.where());
  }

  public Verdict check(DiplomaticEvent event, long where) {
    return check(event, event, where);
  }

  /**
   * The digest of what the event says. Its {@code loggedAt} is left out: it is when Parley's
   * publisher put this copy into the log, not part of the event, so the same event published twice
   * is still a repeat.
   */
  private static byte[] digest(DiplomaticEvent event) {
    DiplomaticEvent content =
        event.getLoggedAt() == null
            ? event
            : DiplomaticEvent.newBuilder(event).setLoggedAt(null).build();
    try {
      return MessageDigest.getInstance("SHA-256").digest(RecordCodec.events().encode(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
