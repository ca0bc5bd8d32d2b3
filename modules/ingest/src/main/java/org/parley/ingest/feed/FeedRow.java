package org.parley.ingest.feed;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One coded event, whichever feed it came from: the feed's own event id, the day it happened,
 * when the feed recorded it, who did it to whom, the CAMEO code, and where it was reported.
 */
public record FeedRow(Feed feed, long line, String feedEventId, LocalDate date, Instant recordedAt, String source,
    String target, String cameoCode, String outlet, String url) {}
