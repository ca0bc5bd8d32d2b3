package org.parley.app;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.parley.core.DeadlineClock;
import org.parley.core.TalkFold;
import org.parley.ingest.EventPublisher;
import org.parley.topology.Pipeline;
import org.parley.topology.Topics;

/**
 * One running Parley: the exactly-once pipeline and the clock ticker, against a Kafka cluster
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
      String applicationId, Duration tickInterval, List<Duration> horizons, String instanceId) {

    public Pipeline.Settings pipeline() {
      return new Pipeline.Settings(bootstrapServers, applicationId, stateDir, Topics.standard(),
          new TalkFold(new DeadlineClock(horizons)), clientProperties);
    }
  }

  private final Pipeline pipeline;
  private final EventPublisher tickPublisher;
  private final ClockTicker ticker;

  private ParleyInstance(Pipeline pipeline, EventPublisher tickPublisher, ClockTicker ticker) {
    this.pipeline = pipeline;
    this.tickPublisher = tickPublisher;
    this.ticker = ticker;
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
    return new ParleyInstance(pipeline, tickPublisher, ticker);
  }

  public Pipeline pipeline() {
    return pipeline;
  }

  @Override
  public void close() {
    if (ticker != null) {
      ticker.close();
      tickPublisher.close();
    }
    pipeline.close();
  }
}
