package org.parley.app;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.parley.app.replay.EventLog;
import org.parley.app.replay.TimeTravel;
import org.parley.app.runtime.ClockKeys;
import org.parley.app.runtime.ClockTicker;
import org.parley.client.Topics;
import org.parley.core.DeadlineClock;
import org.parley.core.TalkFold;
import org.parley.gateway.Gateway;
import org.parley.ingest.EventPublisher;
import org.parley.model.ClockSeal;
import org.parley.model.StoryTime;
import org.parley.topology.Pipeline;
import org.parley.topology.RawEventFold;

/**
 * One running Parley: the exactly-once pipeline, the clock ticker and the HTTP gateway, against a
 * Kafka cluster whose topics exist. {@code parley up}, {@code parley run} and the integration tests
 * all start Parley through here, so they run the same thing.
 */
public final class ParleyInstance implements AutoCloseable {

  /**
   * @param stateDir where the pipeline keeps its stores
   * @param tickInterval how often to publish clock ticks; null for no ticker
   * @param horizons the deadline warning horizons (they are part of the fold: a replay must use the
   *     same)
   * @param quietAfter how long a talk must go without events before ticks move its time (part of
   *     the fold too)
   * @param futureTolerance how far ahead of its recording an event may be dated (part of the fold
   *     too)
   * @param instanceId names this instance in tick ids and logs
   */
  public record Settings(
      String bootstrapServers,
      Map<String, Object> clientProperties,
      Path stateDir,
      String applicationId,
      Duration tickInterval,
      List<Duration> horizons,
      Duration quietAfter,
      Duration futureTolerance,
      String instanceId,
      Gateway.Settings gateway) {

    public Settings(
        String bootstrapServers,
        Map<String, Object> clientProperties,
        Path stateDir,
        String applicationId,
        Duration tickInterval,
        List<Duration> horizons,
        String instanceId) {
      this(
          bootstrapServers,
          clientProperties,
          stateDir,
          applicationId,
          tickInterval,
          horizons,
          instanceId,
          null);
    }

    public Settings(
        String bootstrapServers,
        Map<String, Object> clientProperties,
        Path stateDir,
        String applicationId,
        Duration tickInterval,
        List<Duration> horizons,
        String instanceId,
        Gateway.Settings gateway) {
      this(
          bootstrapServers,
          clientProperties,
          stateDir,
          applicationId,
          tickInterval,
          horizons,
          DeadlineClock.DEFAULT_QUIET_AFTER,
          StoryTime.DEFAULT_FUTURE_TOLERANCE,
          instanceId,
          gateway);
    }

    public Settings withQuietAfter(Duration quiet) {
      return new Settings(
          bootstrapServers,
          clientProperties,
          stateDir,
          applicationId,
          tickInterval,
          horizons,
          quiet,
          futureTolerance,
          instanceId,
          gateway);
    }

    public TalkFold fold() {
      return new TalkFold(new DeadlineClock(horizons, quietAfter));
    }

    public RawEventFold.Rules rules(ClockSeal seal) {
      return new RawEventFold.Rules(seal, futureTolerance);
    }

    public Pipeline.Settings pipeline(ClockSeal seal) {
      Map<String, Object> streams = new HashMap<>(clientProperties);
      if (gateway != null) {
        // Where other instances send the queries for talks this one holds.
        streams.put(StreamsConfig.APPLICATION_SERVER_CONFIG, gateway.applicationServer());
      }
      return new Pipeline.Settings(
          bootstrapServers,
          applicationId,
          stateDir,
          Topics.standard(),
          fold(),
          rules(seal),
          streams);
    }
  }

  private final Pipeline pipeline;
  private final EventPublisher tickPublisher;
  private final ClockTicker ticker;
  private final EventPublisher gatewayPublisher;
  private final Gateway gateway;

  private ParleyInstance(
      Pipeline pipeline,
      EventPublisher tickPublisher,
      ClockTicker ticker,
      EventPublisher gatewayPublisher,
      Gateway gateway) {
    this.pipeline = pipeline;
    this.tickPublisher = tickPublisher;
    this.ticker = ticker;
    this.gatewayPublisher = gatewayPublisher;
    this.gateway = gateway;
  }

  public static ParleyInstance start(Settings settings) {
    ClockSeal seal = ClockKeys.seal(settings.bootstrapServers(), settings.clientProperties());
    Pipeline pipeline = new Pipeline(settings.pipeline(seal)).start();
    EventPublisher tickPublisher = null;
    ClockTicker ticker = null;
    if (settings.tickInterval() != null) {
      tickPublisher =
          new EventPublisher(
              settings.bootstrapServers(),
              settings.clientProperties(),
              Topics.standard().events(),
              "ticker");
      ticker = new ClockTicker(tickPublisher, seal, Clock.systemUTC(), settings.instanceId());
      ticker.start(settings.tickInterval());
    }
    EventPublisher gatewayPublisher = null;
    Gateway gateway = null;
    if (settings.gateway() != null) {
      gatewayPublisher =
          new EventPublisher(
              settings.bootstrapServers(),
              settings.clientProperties(),
              Topics.standard().events(),
              "gateway");
      gateway =
          Gateway.start(
              settings.gateway(),
              gatewayBackend(
                  pipeline,
                  gatewayPublisher,
                  (talkId, asOf) -> {
                    try (EventLog log =
                        new EventLog(
                            settings.bootstrapServers(),
                            settings.clientProperties(),
                            Topics.standard().events().name())) {
                      return TimeTravel.talk(
                              log, talkId, asOf, settings.fold(), settings.rules(seal))
                          .talk();
                    }
                  }));
    }
    return new ParleyInstance(pipeline, tickPublisher, ticker, gatewayPublisher, gateway);
  }

  /**
   * What a gateway beside this pipeline works with: its streams, cluster, topics and event rules.
   */
  public static Gateway.Backend gatewayBackend(
      Pipeline pipeline, EventPublisher publisher, Gateway.TalkHistory history) {
    Pipeline.Settings ps = pipeline.settings();
    return new Gateway.Backend(
        pipeline.streams(),
        ps.bootstrapServers(),
        ps.clientProperties(),
        ps.applicationId(),
        ps.topics(),
        ps.rules().futureTolerance(),
        publisher,
        history);
  }

  /** The gateway, when this instance runs one. */
  public Gateway gateway() {
    return gateway;
  }

  public Pipeline pipeline() {
    return pipeline;
  }

  @Override
  public void close() {
    if (gateway != null) {
      gateway.close();
      gatewayPublisher.close();
    }
    if (ticker != null) {
      ticker.close();
      tickPublisher.close();
    }
    pipeline.close();
  }
}
