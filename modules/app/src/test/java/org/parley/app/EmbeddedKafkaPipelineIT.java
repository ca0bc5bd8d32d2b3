package org.parley.app;

/** The pipeline contract on the real Kafka broker, in-process (KRaft). */
class EmbeddedKafkaPipelineIT extends PipelineContract {
  private TestCluster cluster;

  @Override
  String startKafka() throws Exception {
    cluster = TestCluster.single();
    return cluster.bootstrapServers();
  }

  @Override
  void stopKafka() throws Exception {
    cluster.close();
  }
}
