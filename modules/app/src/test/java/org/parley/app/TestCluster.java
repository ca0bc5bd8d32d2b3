package org.parley.app;

import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** A real Apache Kafka cluster (KRaft) in this JVM, from Kafka's own test kit. */
final class TestCluster implements AutoCloseable {
  final KafkaClusterTestKit kit;

  private TestCluster(KafkaClusterTestKit kit) {
    this.kit = kit;
  }

  /**
   * One combined broker and controller: the offsets and transaction topics need replication 1 here.
   */
  static TestCluster single() throws Exception {
    return start(
        new TestKitNodes.Builder()
            .setCombined(true)
            .setNumBrokerNodes(1)
            .setNumControllerNodes(1)
            .build(),
        Map.of(
            "offsets.topic.replication.factor",
            "1",
            "transaction.state.log.replication.factor",
            "1",
            "transaction.state.log.min.isr",
            "1",
            "group.initial.rebalance.delay.ms",
            "0",
            "auto.create.topics.enable",
            "false"));
  }

  /** Three brokers and one controller; everything replicated three times, two in sync required. */
  static TestCluster threeBrokers() throws Exception {
    return start(
        new TestKitNodes.Builder()
            .setCombined(false)
            .setNumBrokerNodes(3)
            .setNumControllerNodes(1)
            .build(),
        Map.of(
            "offsets.topic.replication.factor",
            "3",
            "transaction.state.log.replication.factor",
            "3",
            "transaction.state.log.min.isr",
            "2",
            "default.replication.factor",
            "3",
            "min.insync.replicas",
            "2",
            "group.initial.rebalance.delay.ms",
            "0",
            "auto.create.topics.enable",
            "false"));
  }

  private static TestCluster start(TestKitNodes nodes, Map<String, String> config)
      throws Exception {
    KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
    config.forEach(builder::setConfigProp);
    KafkaClusterTestKit kit = builder.build();
    kit.format();
    kit.startup();
    kit.waitForReadyBrokers();
    return new TestCluster(kit);
  }

  String bootstrapServers() {
    return kit.bootstrapServers();
  }

  @Override
  public void close() throws Exception {
    kit.close();
  }
}
