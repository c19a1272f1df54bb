package io.agentdeploy.operator.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Remote requests the operator sent so far, per operation: the {@code agentdeploy_remote_requests}
 * timer's count from its Prometheus endpoint (every request, whatever its answer). A phase's calls
 * are the difference of two scrapes.
 */
record RemoteCalls(Map<String, Long> byOperation) {
  private static final Pattern SERIES =
      Pattern.compile("^agentdeploy_remote_requests_seconds_count\\{(.*)} (\\S+)$");
  private static final Pattern OPERATION = Pattern.compile("operation=\"([^\"]*)\"");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static final RemoteCalls NONE = new RemoteCalls(Map.of());

  static RemoteCalls scrape(int port) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/metrics")).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      return parse(response.body());
    } catch (IOException e) {
      throw new IllegalStateException("cannot scrape the operator's /metrics: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static RemoteCalls parse(String text) {
    Map<String, Long> counts = new TreeMap<>();
    for (String line : text.split("\n")) {
      Matcher m = SERIES.matcher(line.strip());
      if (m.matches()) {
        Matcher op = OPERATION.matcher(m.group(1));
        if (op.find()) {
          counts.merge(op.group(1), (long) Double.parseDouble(m.group(2)), Long::sum);
        }
      }
    }
    return new RemoteCalls(counts);
  }

  /** The calls made since {@code earlier}, operations with none left out. */
  RemoteCalls since(RemoteCalls earlier) {
    Map<String, Long> delta = new TreeMap<>();
    byOperation.forEach((op, n) -> {
      long d = n - earlier.byOperation.getOrDefault(op, 0L);
      if (d > 0) {
        delta.put(op, d);
      }
    });
    return new RemoteCalls(delta);
  }

  long total() {
    return byOperation.values().stream().mapToLong(Long::longValue).sum();
  }
}
