package org.parley.app.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.parley.app.replay.StateDiff;
import org.parley.app.replay.TalkStates;
import org.parley.app.runtime.Logging;
import org.parley.client.ParleySerdes;
import org.parley.client.Topic;
import org.parley.client.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "diff",
    description = {
      "Compare two talk-state topics (say, live and rebuilt) talk by talk. Prints each difference, or",
      "\"identical\". Exit code 0 when identical, 1 when they differ, 2 when it cannot tell (as diff(1))."
    })
final class DiffCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Logging.Options logging;

  @Mixin ClusterOptions cluster;

  @Option(
      names = "--left",
      paramLabel = "TOPIC",
      defaultValue = Topics.TALK_STATE,
      description = "One state topic (default: ${DEFAULT-VALUE}).")
  String left;

  @Option(
      names = "--right",
      paramLabel = "TOPIC",
      required = true,
      description = "The other, for example the one `parley rebuild` named.")
  String right;

  @Override
  public Integer call() {
    cluster.requireTopics(left, right);
    var client = cluster.clientProperties();
    var l = TalkStates.latest(cluster.bootstrapServers, client, stateTopic(left));
    var r = TalkStates.latest(cluster.bootstrapServers, client, stateTopic(right));
    List<String> differences = StateDiff.compare(left, l, right, r);
    PrintWriter out = spec.commandLine().getOut();
    if (differences.isEmpty()) {
      out.printf("identical: %,d talks in %s and %s%n", l.size(), left, right);
      return 0;
    }
    differences.forEach(out::println);
    out.printf(
        "%,d of %,d talks differ%n",
        differences.size(),
        l.size() + r.size() - (int) l.keySet().stream().filter(r::containsKey).count());
    return 1;
  }

  private static Topic<String, org.parley.avro.TalkState> stateTopic(String name) {
    return new Topic<>(
        name, org.apache.kafka.common.serialization.Serdes.String(), ParleySerdes.talkStates());
  }
}
