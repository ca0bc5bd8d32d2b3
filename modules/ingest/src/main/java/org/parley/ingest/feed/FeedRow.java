package org.parley.ingest.feed;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One coded event, whichever feed it came from: the feed's own event id, the day it happened, when
 * the feed recorded it, the day the story was published where the feed says so (GDELT's DATEADDED;
 * ICEWS gives none), who did it to whom (resolved), the CAMEO code, where it was reported, and the
 * key under which rows that tell the same event are merged (ICEWS: story and sentence; GDELT:
 * source URL and event root), null when the row has nothing to merge on.
 */
public record FeedRow(
    Feed feed,
    long line,
    String feedEventId,
    LocalDate date,
    Instant recordedAt,
    LocalDate published,
    Actor source,
    Actor target,
    String cameoCode,
    String outlet,
    String url,
    String mergeKey) {}
