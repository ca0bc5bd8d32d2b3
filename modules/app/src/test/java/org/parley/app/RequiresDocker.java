package org.parley.app;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Tests that need a Docker engine: each is reported as skipped, with the reason, where there is
 * none (as on the build machines; the in-process broker covers those runs).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresDocker.Condition.class)
@interface RequiresDocker {

  final class Condition implements ExecutionCondition {
    private static Boolean available;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if (context.getTestMethod().isEmpty()) {
        return ConditionEvaluationResult.enabled("decided per test");
      }
      if (dockerAvailable()) {
        return ConditionEvaluationResult.enabled("a Docker engine is available");
      }
      String reason =
          "skipped: no Docker engine here (no DOCKER_HOST and no /var/run/docker.sock);"
              + " the same tests run on the in-process Kafka broker";
      System.out.println(context.getDisplayName() + " " + reason);
      return ConditionEvaluationResult.disabled(reason);
    }

    private static synchronized boolean dockerAvailable() {
      if (available == null) {
        // Ask Testcontainers only when a socket or host is configured: its probe logs errors
        // otherwise.
        boolean configured =
            System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
        available = configured && DockerClientFactory.instance().isDockerAvailable();
      }
      return available;
    }
  }
}
