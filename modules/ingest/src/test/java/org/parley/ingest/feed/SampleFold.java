package org.parley.ingest.feed;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.parley.avro.Alert;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkState;
import org.parley.core.DeadlineClock;
import org.parley.core.InMemoryLedger;
import org.parley.core.PartitionFold;
import org.parley.core.TalkFold;

/**
 * A feed file imported and folded in memory by the core, talk by talk (each talk in its own time,
 * as the pipeline folds it): what an editor would see after importing it into Parley.
 */
record SampleFold(
    FeedImport.Summary summary,
    List<DiplomaticEvent> events,
    Map<String, TalkState> talks,
    Map<String, List<Alert>> alertsByTalk,
    int refused) {

  private static final Map<String, SampleFold> FOLDED =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The sample folded; folded once per options, as several tests read the same (the result is never
   * changed).
   */
  static SampleFold of(Feed feed, String resource, CameoEvents.Options options) throws Exception {
    String key = feed + "/" + resource + "/" + options;
    SampleFold folded = FOLDED.get(key);
    if (folded == null) {
      folded = fold(feed, resource, options);
      FOLDED.put(key, folded);
    }
    return folded;
  }

  private static SampleFold fold(Feed feed, String resource, CameoEvents.Options options)
      throws Exception {
    List<DiplomaticEvent> events = new ArrayList<>();
    FeedImport.Summary summary =
        FeedImport.read(
            feed,
            () -> SampleFold.class.getResourceAsStream("/feeds/" + resource),
            options,
            events::add);
    Map<String, List<DiplomaticEvent>> byTalk = new LinkedHashMap<>();
    events.forEach(e -> byTalk.computeIfAbsent(e.getTalkId(), k -> new ArrayList<>()).add(e));
    Map<String, TalkState> talks = new TreeMap<>();
    Map<String, List<Alert>> alerts = new TreeMap<>();
    int refused = 0;
    for (var talk : byTalk.entrySet()) {
      InMemoryLedger ledger = new InMemoryLedger();
      PartitionFold fold = new PartitionFold(new TalkFold(DeadlineClock.standard()), ledger);
      for (DiplomaticEvent event : talk.getValue()) {
        PartitionFold.Outcome outcome = fold.accept(event, event.getRecordedAt());
        if (outcome instanceof PartitionFold.Outcome.Applied applied) {
          alerts.computeIfAbsent(talk.getKey(), k -> new ArrayList<>()).addAll(applied.alerts());
        } else if (outcome instanceof PartitionFold.Outcome.Refused) {
          refused++;
        }
      }
      talks.putAll(ledger.talks());
    }
    return new SampleFold(
        summary,
        List.copyOf(events),
        java.util.Collections.unmodifiableMap(talks),
        java.util.Collections.unmodifiableMap(alerts),
        refused);
  }

  int alerts() {
    return alertsByTalk.values().stream().mapToInt(List::size).sum();
  }

  Map<String, Long> alertsByType() {
    Map<String, Long> counts = new TreeMap<>();
    alertsByTalk
        .values()
        .forEach(
            list ->
                list.forEach(
                    a -> counts.merge(a.getType() + " " + a.getSeverity(), 1L, Long::sum)));
    return counts;
  }

  long agreements() {
    return talks.values().stream().mapToLong(t -> t.getAgreements().size()).sum();
  }

  /** The talks with the most events: "title (status, events)". */
  List<String> top(int n) {
    return talks.values().stream()
        .sorted(
            Comparator.comparingLong(TalkState::getEventCount)
                .reversed()
                .thenComparing(TalkState::getTalkId))
        .limit(n)
        .map(t -> t.getTitle() + " (" + t.getStatus() + ", " + t.getEventCount() + " events)")
        .toList();
  }
}
