package io.agentdeploy.operator.remote.http;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * A failed TLS handshake said in one line a person can act on, instead of the JDK's
 * {@code PKIX path building failed} and its stack trace.
 */
final class TlsFailure {
  private TlsFailure() {}

  /**
   * A TLS failure found in {@code failure}'s causes.
   *
   * @param certificate whether the server's certificate was refused (a person must act), rather
   *     than the handshake failing otherwise
   */
  record Found(String message, boolean certificate) {}

  /** @param bundled whether the control plane names a CA bundle (the advice differs) */
  static Optional<Found> find(Throwable failure, String host, boolean bundled) {
    boolean handshake = false;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CertPathValidatorException || isPathBuilding(t)) {
        return Optional.of(new Found("TLS to " + host + " failed: its certificate does not chain to a trusted CA ("
            + (bundled ? "not the JVM's CAs nor spec.caBundle" : "not the JVM's CAs; a private CA goes into spec.caBundle")
            + ")", true));
      }
      if (t instanceof CertificateException && String.valueOf(t.getMessage()).contains("No subject alternative")) {
        return Optional.of(new Found("TLS to " + host + " failed: its certificate is not issued for that name "
            + "(no matching subject alternative name)", true));
      }
      if (t instanceof java.security.cert.CertificateExpiredException) {
        return Optional.of(new Found("TLS to " + host + " failed: its certificate has expired", true));
      }
      handshake |= t instanceof SSLHandshakeException;
      if (t instanceof SSLException && !handshake && t.getMessage() != null
          && t.getMessage().contains("Unsupported or unrecognized SSL message")) {
        return Optional.of(new Found("TLS to " + host + " failed: the server does not speak TLS on that port "
            + "(an http:// URL?)", false));
      }
    }
    return handshake ? Optional.of(new Found("TLS handshake with " + host + " failed", false)) : Optional.empty();
  }

  /** The JDK's path-building failure is an internal class; its name is matched, not its type. */
  private static boolean isPathBuilding(Throwable t) {
    return t.getClass().getName().endsWith("SunCertPathBuilderException");
  }
}
