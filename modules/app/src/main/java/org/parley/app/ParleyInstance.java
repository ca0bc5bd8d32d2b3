package org.parley.app;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.parley.core.DeadlineClock;
import org.apache.kafka.streams.StreamsConfig;
import org.parley.core.TalkFold;
import org.parley.gateway.Gateway;
import org.parley.ingest.EventPublisher;
import org.parley.topology.Pipeline;
import org.parley.topology.Topics;

/**
 * One running Parley: the exactly-once pipeline, the clock ticker and the HTTP gateway, against a Kafka cluster
 * whose topics exist. {@code parley up}, {@code parley run} and the integration tests all start
 * Parley through here, so they run the same thing.
 */
public final class ParleyInstance implements AutoCloseable {

  /**
   * @param stateDir where the pipeline keeps its stores
   * @param tickInterval how often to publish clock ticks; null for no ticker
   * @param horizons the deadline warning horizons (they are part of the fold: a replay must use the same)
   * @param instanceId names this instance in tick ids and logs
   */
  public record Settings(String bootstrapServers, Map<String, Object> clientProperties, Path stateDir,
      String applicationId, Duration tickInterval, List<Duration> horizons, String instanceId,
      Gateway.Settings gateway) {

    public Settings(String bootstrapServers, Map<String, Object> clientProperties, Path stateDir,
        String applicationId, Duration tickInterval, List<Duration> horizons, String instanceId) {
      this(bootstrapServers, clientProperties, stateDir, applicationId, tickInterval, horizons, instanceId, null);
    }

    public TalkFold fold() {
      return new TalkFold(new DeadlineClock(horizons));
    }

    public Pipeline.Settings pipeline() {
      Map<String, Object> streams = new HashMap<>(clientProperties);
      if (gateway != null) {
        // Where other instances send the queries for talks this one holds.
        streams.put(StreamsConfig.APPLICATION_SERVER_CONFIG, gateway.applicationServer());
      }
      return new Pipeline.Settings(bootstrapServers, applicationId, stateDir, Topics.standard(), fold(), streams);
    }
  }

  private final Pipeline pipeline;
  private final EventPublisher tickPublisher;
  private final ClockTicker ticker;
  private final EventPublisher gatewayPublisher;
  private final Gateway gateway;

  private ParleyInstance(Pipeline pipeline, EventPublisher tickPublisher, ClockTicker ticker,
      EventPublisher gatewayPublisher, Gateway gateway) {
    this.pipeline = pipeline;
    this.tickPublisher = tickPublisher;
    this.ticker = ticker;
    this.gatewayPublisher = gatewayPublisher;
    this.gateway = gateway;
  }

  public static ParleyInstance start(Settings settings) {
    Pipeline pipeline = new Pipeline(settings.pipeline()).start();
    EventPublisher tickPublisher = null;
    ClockTicker ticker = null;
    if (settings.tickInterval() != null) {
      tickPublisher = new EventPublisher(settings.bootstrapServers(), settings.clientProperties(),
          Topics.standard().events(), "ticker");
      ticker = new ClockTicker(tickPublisher, Clock.systemUTC(), settings.instanceId());
      ticker.start(settings.tickInterval());
    }
    EventPublisher gatewayPublisher = null;
    Gateway gateway = null;
    if (settings.gateway() != null) {
      gatewayPublisher = new EventPublisher(settings.bootstrapServers(), settings.clientProperties(),
          Topics.standard().events(), "gateway");
      gateway = Gateway.start(settings.gateway(), pipeline, gatewayPublisher, (talkId, asOf) -> {
        try (EventLog log = new EventLog(settings.bootstrapServers(), settings.clientProperties(),
            Topics.standard().events().name())) {
          return TimeTravel.talk(log, talkId, asOf, settings.fold()).talk();
        }
      });
    }
    return new ParleyInstance(pipeline, tickPublisher, ticker, gatewayPublisher, gateway);
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
