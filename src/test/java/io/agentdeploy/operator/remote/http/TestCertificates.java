package io.agentdeploy.operator.remote.http;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CA and a server certificate it signs, made in memory for a test (Bouncy Castle, which the
 * fabric8 mock server already brings onto the test class path; nothing is checked in): the CA's
 * PEM for a bundle, and a TLS context serving the server certificate.
 */
public final class TestCertificates {
  private static final char[] PASSWORD = "in-memory".toCharArray();
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  public final String caPem;
  public final SSLContext serverContext;

  private TestCertificates(String caPem, SSLContext serverContext) {
    this.caPem = caPem;
    this.serverContext = serverContext;
  }

  /** @param serverNames DNS names and IP addresses the server certificate is issued for */
  public static TestCertificates issue(String caName, List<String> serverNames) throws Exception {
    KeyPair caKeys = keyPair();
    X500Name caSubject = new X500Name("CN=" + caName);
    X509v3CertificateBuilder ca = builder(caSubject, caSubject, caKeys)
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    X509Certificate caCert = sign(ca, caKeys);

    KeyPair serverKeys = keyPair();
    List<GeneralName> names = new ArrayList<>();
    for (String name : serverNames) {
      names.add(name.matches("[0-9.]+|.*:.*") ? new GeneralName(GeneralName.iPAddress, name)
          : new GeneralName(GeneralName.dNSName, name));
    }
    X509v3CertificateBuilder server = builder(caSubject, new X500Name("CN=server"), serverKeys)
        .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
    X509Certificate serverCert = sign(server, caKeys);

    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("server", serverKeys.getPrivate(), PASSWORD, new X509Certificate[] {serverCert, caCert});
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, PASSWORD);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    StringWriter pem = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
      writer.writeObject(caCert);
    }
    return new TestCertificates(pem.toString(), context);
  }

  private static KeyPair keyPair() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject, keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) throws Exception {
    return new JcaX509CertificateConverter().getCertificate(builder.build(
        new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }
}
