package io.agentdeploy.operator.remote.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentdeploy.operator.remote.RemoteException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A request the JDK's URI and header rules refuse never leaves the transport as an
 * IllegalArgumentException: it is a classified error named by its class, without the text that
 * was refused (a path from a remote's answer, a header value that may be the API key).
 */
class UnbuildableRequestTest {
  private final HttpTransport transport = new HttpTransport(new SimpleMeterRegistry(), Duration.ofSeconds(1),
      Duration.ofSeconds(2), 2);

  private static Endpoint endpoint(Map<String, String> headers) {
    // Nothing listens there: a request that could be built would fail as a connection error instead.
    return new Endpoint("langsmith", BaseUrlPolicy.anyHttpsHost().check("http://127.0.0.1:9").orElseThrow(), headers,
        new TokenBucket(100, 10, System::nanoTime));
  }

  @Test
  void aPathTheUriRulesRefuseIsUnexpectedAndNotQuoted() {
    RemoteException e = assertThrows(RemoteException.class, () -> transport.send(endpoint(Map.of("X-Api-Key",
        "lsv2_sk_unbuildable_0001")), ApiRequest.get("getRevision", "/v2/deployments/d/revisions/rev 1|x", null)));
    assertEquals(RemoteException.Kind.UNEXPECTED, e.kind());
    assertTrue(e.getMessage().startsWith("langsmith getRevision: unexpected IllegalArgumentException"), e.getMessage());
    assertFalse(e.getMessage().contains("rev 1|x"), e.getMessage());
    assertEquals(null, e.getCause(), "no cause whose message or stack trace could carry the text");
  }

  @Test
  void aHeaderValueTheHeaderRulesRefuseIsUnexpectedAndNeverEchoed() {
    String key = "lsv2_sk_first_half\nsecond_half_0002";
    RemoteException e = assertThrows(RemoteException.class, () -> transport.send(endpoint(Map.of("X-Api-Key", key)),
        ApiRequest.get("listDeployments", "/v2/deployments", null)));
    assertEquals(RemoteException.Kind.UNEXPECTED, e.kind());
    assertFalse(e.getMessage().contains("first_half") || e.getMessage().contains("second_half"), e.getMessage());
  }
}
