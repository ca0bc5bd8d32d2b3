package org.parley.app.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * Finds out, before a command does any work and within seconds, whether the cluster can be used:
 * the host names resolve, something listens, and it answers as Kafka to these credentials. Each
 * failure is one line saying what to check. Kafka's clients would otherwise retry for their whole
 * timeout, logging a warning per attempt, and end with a raw message.
 */
public final class ClusterCheck {
  static final int CONNECT_MILLIS = 3_000;
  static final int ANSWER_SECONDS = 5;

  private ClusterCheck() {}

  /** Host names resolve and at least one bootstrap server accepts a TCP connection. */
  static void reachable(String bootstrapServers) {
    List<String> failures = new ArrayList<>();
    for (String server : bootstrapServers.split(",")) {
      server =
          server
              .strip()
              .replaceFirst("^[A-Za-z_]+://", ""); // Kafka takes PLAINTEXT://host:port too
      int colon = server.lastIndexOf(':');
      if (colon <= 0) {
        throw new CommandFailure("'" + server + "' in --bootstrap-server is not HOST:PORT");
      }
      String host = server.substring(0, colon).replace("[", "").replace("]", "");
      int port;
      try {
        port = Integer.parseInt(server.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new CommandFailure("'" + server + "' in --bootstrap-server is not HOST:PORT");
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getByName(host), port), CONNECT_MILLIS);
        return;
      } catch (UnknownHostException e) {
        failures.add("unknown host '" + host + "'");
      } catch (IOException e) {
        failures.add(
            server
                + ": "
                + (e.getMessage() == null
                    ? e.getClass().getSimpleName()
                    : e.getMessage().replaceAll(" \\(.*\\)$", "").toLowerCase()));
      }
    }
    throw new CommandFailure(
        "cannot reach Kafka at "
            + bootstrapServers
            + " ("
            + String.join("; ", failures)
            + "): is it running, and is --bootstrap-server right?");
  }

  /** The cluster answers as Kafka, and accepts these credentials, within a few seconds. */
  static void answers(Admin admin, String bootstrapServers) {
    try {
      admin.describeCluster().nodes().get(ANSWER_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new CommandFailure(explain(bootstrapServers, e.getCause()));
    } catch (TimeoutException e) {
      throw new CommandFailure(
          "Kafka at "
              + bootstrapServers
              + " accepts connections but did not answer within "
              + ANSWER_SECONDS
              + " s: if it needs TLS or SASL, give security.protocol and the rest with --config or -X");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailure("interrupted");
    }
  }

  /** One line for a failure talking to the cluster, naming what to check. */
  static String explain(String bootstrapServers, Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null
        && !(cause instanceof AuthenticationException)
        && !(cause instanceof AuthorizationException)) {
      cause = cause.getCause();
    }
    if (cause instanceof AuthenticationException) {
      return "Kafka at "
          + bootstrapServers
          + " refused these credentials ("
          + cause.getMessage()
          + "): check sasl.* / ssl.* in --config or -X";
    }
    if (cause instanceof AuthorizationException) {
      return "Kafka at "
          + bootstrapServers
          + " does not allow this principal to do that ("
          + cause.getMessage()
          + "): use a principal with the ACLs `parley up --secure` shows";
    }
    return "Kafka at " + bootstrapServers + " failed: " + TopicAdmin.rootMessage(e);
  }
}
