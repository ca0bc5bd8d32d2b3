package org.parley.app.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.parley.app.runtime.CommandFailure;
import org.parley.gateway.Gateway;
import picocli.CommandLine.Option;

/**
 * Where the gateway listens and how publishing through it is guarded: the same options for `up` and
 * `run`.
 */
final class GatewayOptions {
  static final String TOKEN_FILE = "gateway-token";
  static final String TOKEN_ENV = "PARLEY_GATEWAY_TOKEN";

  @Option(
      names = "--gateway-port",
      defaultValue = "" + Gateway.DEFAULT_PORT,
      description =
          "HTTP port of the gateway: API, live alerts, dashboard (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--gateway-bind",
      paramLabel = "ADDRESS",
      description = "Address to listen on (default: localhost for `up`, 0.0.0.0 for `run`).")
  String bind;

  @Option(
      names = "--advertised-host",
      paramLabel = "HOST",
      description =
          "How other instances reach this one, for queries they forward (default: localhost for `up`, the host name for `run`).")
  String advertisedHost;

  @Option(
      names = "--gateway-token",
      paramLabel = "TOKEN",
      description =
          "Bearer token for POST /api/events (default: $"
              + TOKEN_ENV
              + ", else one generated into <data-dir>/"
              + TOKEN_FILE
              + ").")
  String token;

  @Option(
      names = "--cors-origin",
      paramLabel = "ORIGIN",
      split = ",",
      description =
          "An origin (https://desk.example.org) whose pages may call the API from a browser; repeat or separate with commas (default: none).")
  java.util.List<String> corsOrigins = new java.util.ArrayList<>();

  @Option(names = "--no-gateway", negatable = false, description = "Run without the HTTP gateway.")
  boolean off;

  Gateway.Settings settings(Path dataDir, String defaultBind, String defaultAdvertised) {
    if (off) {
      return null;
    }
    String address = bind != null ? bind : defaultBind;
    ensurePortFree(address);
    return new Gateway.Settings(
        address,
        port,
        advertisedHost != null ? advertisedHost : defaultAdvertised,
        token(dataDir),
        java.util.List.copyOf(corsOrigins));
  }

  /**
   * Checked before anything starts: finding the port taken only after the broker and the pipeline
   * are up would mean a page of shutdown noise around a one-line cause.
   */
  private void ensurePortFree(String address) {
    if (port == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(address, port));
    } catch (IOException e) {
      throw new CommandFailure(
          String.format(
              "port %d (the gateway) is in use on %s: stop what holds it, or pick"
                  + " another with --gateway-port (or run without the gateway: --no-gateway)",
              port, address));
    }
  }

  /**
   * The token given, or the one in the data directory, or a new one written there (readable by its
   * owner only).
   */
  private String token(Path dataDir) {
    if (token != null && !token.isBlank()) {
      return token;
    }
    String fromEnv = System.getenv(TOKEN_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.strip();
    }
    Path file = dataDir.resolve(TOKEN_FILE);
    try {
      if (Files.exists(file)) {
        return Files.readString(file).strip();
      }
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      Files.createDirectories(dataDir);
      Files.writeString(file, generated + "\n");
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system
      }
      return generated;
    } catch (IOException e) {
      throw new CommandFailure(
          "cannot read or write the gateway token in " + file + ": " + e.getMessage());
    }
  }
}
