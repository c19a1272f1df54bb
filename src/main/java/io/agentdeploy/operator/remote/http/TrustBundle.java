package io.agentdeploy.operator.remote.http;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * CA certificates a control plane's TLS certificate may chain to, in addition to the JVM's own
 * trust: a private CA of a self-hosted install. Identified by a fingerprint of its certificates,
 * so the same bundle read twice gives the same HTTP client and a rotated one a new client.
 *
 * @param fingerprint SHA-256 over the DER of every certificate, in order
 */
public record TrustBundle(String fingerprint, List<X509Certificate> certificates) {
  private static final int MAX_CERTIFICATES = 100;

  public TrustBundle {
    certificates = List.copyOf(certificates);
  }

  /**
   * Reads a PEM bundle: one or more {@code -----BEGIN CERTIFICATE-----} blocks.
   *
   * @param source how messages name where the bundle came from, e.g. "ConfigMap corp-ca key ca.crt"
   * @throws InvalidTrustBundle saying in one line what is wrong, for a person to fix
   */
  public static TrustBundle parse(String pem, String source) {
    if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
      throw new InvalidTrustBundle(source + " holds no PEM certificate (-----BEGIN CERTIFICATE----- blocks)");
    }
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      for (Certificate c : CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        certificates.add((X509Certificate) c);
      }
      if (certificates.isEmpty() || certificates.size() > MAX_CERTIFICATES) {
        throw new InvalidTrustBundle(source + " must hold 1 to " + MAX_CERTIFICATES + " certificates, not "
            + certificates.size());
      }
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (X509Certificate c : certificates) {
        digest.update(c.getEncoded());
      }
      return new TrustBundle(HexFormat.of().formatHex(digest.digest()), certificates);
    } catch (GeneralSecurityException e) {
      throw new InvalidTrustBundle(source + " is not a readable PEM certificate bundle ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  /** A TLS context trusting the JVM's CAs and these. */
  SSLContext sslContext() {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (X509Certificate ca : jvmTrust().getAcceptedIssuers()) {
        store.setCertificateEntry("jvm-" + n++, ca);
      }
      for (X509Certificate ca : certificates) {
        store.setCertificateEntry("bundle-" + n++, ca);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
    }
  }

  private static X509TrustManager jvmTrust() throws GeneralSecurityException {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    for (var manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("the JVM has no X.509 trust manager");
  }

  @Override
  public String toString() {
    return "TrustBundle[" + certificates.size() + " certificates, " + fingerprint.substring(0, 12) + "]";
  }
}
