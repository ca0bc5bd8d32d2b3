package org.parley.app.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.parley.app.runtime.CommandFailure;
import org.parley.app.runtime.Logging;
import org.parley.client.Topics;
import org.parley.gateway.Subscription;
import org.parley.gateway.Subscriptions;
import org.parley.model.InvalidRecord;
import org.parley.model.JsonForm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "subscribe",
    description = {
      "Subscribe a webhook to alerts: Parley POSTs each matching alert once, as JSON signed with",
      "HMAC-SHA256 (header X-Parley-Signature: sha256=<hex>, keyed by the subscription's secret), with",
      "its alert id (X-Parley-Alert-Id), retrying with backoff. Subscriptions live in Kafka; a running",
      "Parley gateway delivers them. Without URL: --list or --remove."
    })
final class SubscribeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Logging.Options logging;

  @Mixin ClusterOptions cluster;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "URL",
      description = "The webhook: http:// or https://.")
  String url;

  @Option(names = "--talk", paramLabel = "ID", description = "Only this talk's alerts.")
  String talk;

  @Option(
      names = "--party",
      paramLabel = "PARTY",
      description = "Only alerts of talks with this party (e.g. Russia).")
  String party;

  @Option(
      names = "--min-severity",
      paramLabel = "LEVEL",
      description = "INFO, NOTICE, HIGH or CRITICAL (default: INFO, every alert).")
  String minSeverity;

  @Option(
      names = "--secret",
      paramLabel = "SECRET",
      description =
          "Signs each body (16 characters or more; default: one is made and printed once).")
  String secret;

  @Option(
      names = "--slack",
      negatable = false,
      description = "Send a Slack-compatible body ({\"text\": ...}).")
  boolean slack;

  @Option(
      names = "--list",
      negatable = false,
      description = "List the subscriptions and how their delivery goes.")
  boolean list;

  @Option(names = "--remove", paramLabel = "ID", description = "Remove a subscription.")
  String remove;

  @Override
  public Integer call() {
    try {
      return run();
    } catch (RuntimeException e) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof org.apache.kafka.common.errors.AuthorizationException) {
          throw new CommandFailure(
              "not allowed to use the subscription topics ("
                  + Subscriptions.TOPIC
                  + ", "
                  + Subscriptions.PROGRESS
                  + ", "
                  + Subscriptions.UNDELIVERED
                  + "): "
                  + cause.getMessage()
                  + "; with `parley up --secure`, use the pipeline's settings: --config <data-dir>/secure/parley-pipeline.properties");
        }
      }
      throw e;
    }
  }

  private int run() {
    PrintWriter out = spec.commandLine().getOut();
    cluster.requireTopics(Topics.ALERTS);
    try (Subscriptions store =
        new Subscriptions(cluster.bootstrapServers, cluster.clientProperties(), Topics.ALERTS)) {
      if (list) {
        store.all().values().forEach(s -> out.println(s.publicJson()));
        return 0;
      }
      if (remove != null) {
        if (!store.remove(remove)) {
          throw new CommandFailure(
              "no subscription '" + remove + "' (see parley subscribe --list)");
        }
        out.println("removed " + remove);
        return 0;
      }
      if (url == null) {
        throw new CommandFailure("give the webhook URL to subscribe (or --list, or --remove ID)");
      }
      ObjectNode request = JsonForm.MAPPER.createObjectNode();
      request.put("url", url);
      request.put("talk", talk);
      request.put("party", party);
      request.put("minSeverity", minSeverity);
      request.put("secret", secret);
      request.put("format", slack ? "slack" : "json");
      Subscription made;
      try {
        made = store.create(request);
      } catch (InvalidRecord e) {
        throw new CommandFailure(
            e.problems().stream()
                .map(p -> "--" + option(p.field()) + ": " + p.message())
                .collect(Collectors.joining("; ")));
      }
      ObjectNode shown = made.publicJson();
      shown.put("secret", made.secret());
      out.println(shown);
      out.flush();
      spec.commandLine()
          .getErr()
          .println(
              "subscribed "
                  + made.subscriptionId()
                  + "; keep the secret: it is shown only"
                  + " now, and signs every body (X-Parley-Signature)");
      return 0;
    }
  }

  private static String option(String field) {
    return switch (field) {
      case "minSeverity" -> "min-severity";
      case "format" -> "slack";
      case "url" -> "(URL)";
      default -> field;
    };
  }
}
