package org.parley.app;

import org.testcontainers.kafka.KafkaContainer;

/**
 * The pipeline contract on Testcontainers' Kafka (the apache/kafka image), where a Docker engine
 * runs. Without one, every test here is skipped with that reason; the in-process broker run of the
 * same contract covers CI.
 */
@RequiresDocker
class ContainerKafkaPipelineIT extends PipelineContract {
  static final String IMAGE = "apache/kafka:4.3.1";
  private KafkaContainer kafka;

  @Override
  String startKafka() {
    kafka = new KafkaContainer(IMAGE);
    kafka.start();
    return kafka.getBootstrapServers();
  }

  @Override
  void stopKafka() {
    kafka.stop();
  }
}
