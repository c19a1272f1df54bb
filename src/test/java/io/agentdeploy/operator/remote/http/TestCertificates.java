package io.agentdeploy.operator.remote.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A CA and a server certificate it signs, made for a test by the JDK's own keytool (no library,
 * nothing checked in): the CA's PEM for a bundle, and a TLS context serving the server certificate.
 */
final class TestCertificates {
  private static final String PASSWORD = "test-store-password";

  final String caPem;
  final SSLContext serverContext;

  private TestCertificates(String caPem, SSLContext serverContext) {
    this.caPem = caPem;
    this.serverContext = serverContext;
  }

  /** @param serverNames the names the server certificate is issued for, e.g. "dns:localhost,ip:127.0.0.1" */
  static TestCertificates issue(Path dir, String caName, String serverNames) throws Exception {
    Files.createDirectories(dir);
    Path ca = dir.resolve(caName + "-ca.p12");
    Path server = dir.resolve(caName + "-server.p12");
    Path csr = dir.resolve(caName + "-server.csr");
    Path crt = dir.resolve(caName + "-server.crt");
    Path caPem = dir.resolve(caName + "-ca.pem");
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + caName,
        "-ext", "bc:c", "-validity", "2", "-keystore", ca.toString());
    keytool("-exportcert", "-alias", "ca", "-rfc", "-file", caPem.toString(), "-keystore", ca.toString());
    keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=server",
        "-validity", "2", "-keystore", server.toString());
    keytool("-certreq", "-alias", "server", "-file", csr.toString(), "-keystore", server.toString());
    keytool("-gencert", "-alias", "ca", "-infile", csr.toString(), "-outfile", crt.toString(), "-rfc",
        "-ext", "san=" + serverNames, "-validity", "2", "-keystore", ca.toString());
    keytool("-importcert", "-alias", "ca", "-file", caPem.toString(), "-noprompt", "-keystore", server.toString());
    keytool("-importcert", "-alias", "server", "-file", crt.toString(), "-keystore", server.toString());
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(server)) {
      store.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return new TestCertificates(Files.readString(caPem), context);
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("keytool " + args[0] + " failed: " + output);
    }
  }
}
