package io.agentdeploy.operator.lifecycle;

import static io.agentdeploy.operator.api.Provider.AGENTEX;
import static io.agentdeploy.operator.api.Provider.LANGSMITH;
import static io.agentdeploy.operator.lifecycle.OperatorRow.Subject.AGENT_DEPLOYMENT;
import static io.agentdeploy.operator.lifecycle.OperatorRow.Subject.CLUSTER_CONTROL_PLANE;
import static io.agentdeploy.operator.lifecycle.OperatorRow.Subject.CONTROL_PLANE;

import io.agentdeploy.operator.api.AgentDeployment;
import io.agentdeploy.operator.controller.Annotations;
import io.agentdeploy.operator.api.ClusterControlPlane;
import io.agentdeploy.operator.api.ClusterControlPlaneSpec;
import io.agentdeploy.operator.api.ControlPlane;
import io.agentdeploy.operator.api.EnvVar;
import io.agentdeploy.operator.api.NamespaceAllowList;
import io.agentdeploy.operator.api.Provider;
import io.agentdeploy.operator.api.SecretKeySelector;
import io.agentdeploy.operator.api.TextSource;
import io.agentdeploy.operator.lifecycle.BadInput.Category;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The operator rows of the bad-input table. Each row's objects are its own (names start with the
 * row's name), so all rows of a provider run side by side in one operator.
 */
final class OperatorRows {
  /** The Secret of the worlds' good ControlPlanes (holds {@link SimulatedWorld#API_KEY}). */
  static final String GOOD_KEY = "langsmith-key";
  /** Bytes that are not UTF-8: a lone continuation byte and an invalid lead byte. */
  static final byte[] NOT_UTF8 = {'l', 's', 'v', '2', '_', (byte) 0x80, 'k', (byte) 0xff, 'y', '9'};

  private OperatorRows() {}

  static List<OperatorRow> all() {
    List<OperatorRow> rows = new ArrayList<>();
    rows.addAll(langsmith());
    rows.addAll(agentex());
    return List.copyOf(rows);
  }

  static List<OperatorRow> of(Provider provider) {
    return all().stream().filter(r -> r.provider() == provider).toList();
  }

  private static List<OperatorRow> langsmith() {
    Provider p = LANGSMITH;
    List<OperatorRow> rows = new ArrayList<>();
    // Base URL syntax: all pass the CRD pattern ^https?://[^\s]+$.
    rows.add(baseUrl(p, "bl01-underscore", "https://my_host.example.com", "InvalidBaseUrl", "'_'"));
    rows.add(baseUrl(p, "bl02-port", "https://api.example.com:99999", "InvalidBaseUrl", "port 99999"));
    rows.add(baseUrl(p, "bl03-plain-http", "http://api.example.com", "InsecureBaseUrl", "use https://"));
    rows.add(baseUrl(p, "bl04-not-allowed", "https://api.other.org", "BaseUrlNotAllowed", "allowed hosts"));
    // API key bytes.
    rows.add(apiKey(p, "bl05-key-newline", "lsv2_sk_first_half\nsecond_half_0005", "InvalidHeaderValue",
        "the API key"));
    rows.add(apiKey(p, "bl06-key-delete", "lsv2_sk_del\u007fete_0006", "InvalidHeaderValue", "the API key"));
    rows.add(apiKey(p, "bl07-key-blank", "   ", "SecretKeyNotFound", "is empty"));
    rows.add(new OperatorRow(Category.API_KEY_BYTES, p, "bl08-tenant-crlf", "spec.tenantId with CR LF", CONTROL_PLANE,
        "InvalidHeaderValue", "spec.tenantId", sim -> List.of(tenant(
            controlPlane(p, "bl08-tenant-crlf", sim + "/bl08-tenant-crlf", GOOD_KEY), "t-0008\r\nX-Injected: 1")),
        List.of()));
    // References.
    rows.add(new OperatorRow(Category.REFERENCES, p, "bl09-cp-secret", "ControlPlane's key Secret missing",
        CONTROL_PLANE, "SecretNotFound", "bl09-missing", sim -> List.of(
            controlPlane(p, "bl09-cp-secret", sim + "/bl09-cp-secret", "bl09-missing")), List.of()));
    rows.add(agent(Category.REFERENCES, p, "bl10-env-secret", "env from a missing Secret", "SecretNotFound",
        "Secret bl10-missing", List.of(), a -> env(a, Resources.fromSecret("TOKEN", "bl10-missing", "token"))));
    rows.add(agent(Category.REFERENCES, p, "bl11-env-key", "env from a missing Secret key", "SecretKeyNotFound",
        "no key token", List.of(secret("bl11-secret", Map.of("other", "value-0011"))),
        a -> env(a, Resources.fromSecret("TOKEN", "bl11-secret", "token")), "value-0011"));
    rows.add(agent(Category.REFERENCES, p, "bl12-no-cp", "controlPlaneRef to a missing ControlPlane",
        "ControlPlaneNotFound", "ControlPlane bl12-missing", List.of(), a -> controlPlaneRef(a, "bl12-missing")));
    rows.add(agent(Category.REFERENCES, p, "bl13-wrong-provider", "spec.langsmith on an Agentex ControlPlane",
        "ProviderMismatch", "provider langsmith", List.of(),
        a -> controlPlaneRef(a, SimulatedWorld.AGENTEX_CONTROL_PLANE)));
    // Env names and values.
    rows.add(agent(Category.ENV, p, "bl14-env-twice", "the same env name twice", "InvalidSpec", "more than once",
        List.of(), a -> env(a, new EnvVar("LOG_LEVEL", "debug", null))));
    rows.add(agent(Category.ENV, p, "bl15-env-space", "an env name with a space", "InvalidSpec",
        "printable ASCII without spaces", List.of(), a -> env(a, new EnvVar("MY VAR", "1", null))));
    rows.add(agent(Category.ENV, p, "bl16-env-equals", "an env name with '='", "InvalidSpec", "without spaces or '='",
        List.of(), a -> env(a, new EnvVar("A=B", "1", null))));
    rows.add(agent(Category.ENV, p, "bl17-env-nul", "a Secret env value with NUL", "InvalidSpec", "NUL",
        List.of(secret("bl17-secret", Map.of("token", "tok\u0000en-0017"))),
        a -> env(a, Resources.fromSecret("TOKEN", "bl17-secret", "token")), "en-0017"));
    // Non-UTF-8 and unicode.
    rows.add(new OperatorRow(Category.ENCODING, p, "bl18-key-bytes", "API key bytes not UTF-8", CONTROL_PLANE,
        "InvalidSecretValue", "not UTF-8", sim -> List.of(byteSecret("bl18-key", "apiKey", NOT_UTF8),
            controlPlane(p, "bl18-key-bytes", sim + "/bl18-key-bytes", "bl18-key")), notUtf8()));
    rows.add(agent(Category.ENCODING, p, "bl19-env-bytes", "env Secret value not UTF-8", "InvalidSecretValue",
        "Secret bl19-secret key token is not UTF-8", List.of(byteSecret("bl19-secret", "token", NOT_UTF8)),
        a -> env(a, Resources.fromSecret("TOKEN", "bl19-secret", "token")), notUtf8().toArray(String[]::new)));
    rows.add(apiKey(p, "bl20-key-unicode", "lsv2_sk_cl\u00e9_0020", "InvalidHeaderValue", "the API key"));
    rows.add(agent(Category.ENCODING, p, "bl21-env-unicode", "an env name in Cyrillic", "InvalidSpec",
        "non-ASCII character U+0418", List.of(), a -> env(a, new EnvVar("\u0418\u041c\u042f", "1", null))));
    // The CRD pattern's \\s is ASCII only (in Go's RE2 as here): a no-break space passes it.
    rows.add(new OperatorRow(Category.ENCODING, p, "bl23-url-nbsp", "spec.baseUrl with a no-break space",
        CONTROL_PLANE, "InvalidBaseUrl", "spec.baseUrl", sim -> List.of(controlPlane(p, "bl23-url-nbsp",
            "https://api.example.com/\u00a0bl23-url-nbsp", GOOD_KEY)), List.of()));
    rows.addAll(caBundles(p, "bl24", "bl25"));
    // A ClusterControlPlane that does not allow the resource's namespace (its checks name no row).
    rows.add(new OperatorRow(Category.REFERENCES, p, "bl26-ns-not-allowed", "controlPlaneRef to a "
        + "ClusterControlPlane whose allow-list leaves the namespace out", AGENT_DEPLOYMENT, "NamespaceNotAllowed",
        "does not allow namespace " + Resources.NS, sim -> List.of(allowingOnly(p, "bl26-allow-list", sim, "team-x"),
            clusterRef(agentOf(p, "bl26-ns-not-allowed"), "bl26-allow-list")), List.of()));
    // A ClusterControlPlane named where the operator runs without them.
    rows.add(new OperatorRow(Category.REFERENCES, p, "bl27-cluster-cp-off", "controlPlaneRef to a "
        + "ClusterControlPlane, operator installed without them", AGENT_DEPLOYMENT, "ClusterControlPlanesDisabled",
        "clusterControlPlanes.enabled", sim -> List.of(clusterRef(agentOf(p, "bl27-cluster-cp-off"), "bl27-shared")),
        List.of()).in(OperatorRow.Setting.NO_CLUSTER_CONTROL_PLANES));
    // Namespace selectors (ClusterControlPlane).
    rows.add(new OperatorRow(Category.SELECTORS, p, "bl22-selector", "selector operator Has", CLUSTER_CONTROL_PLANE,
        "InvalidSelector", "spec.allowedNamespaces.selector", sim -> List.of(
            clusterControlPlane(p, "bl22-selector", sim + "/bl22-selector")), List.of()));
    return rows;
  }

  private static List<OperatorRow> agentex() {
    Provider p = AGENTEX;
    List<OperatorRow> rows = new ArrayList<>();
    rows.add(baseUrl(p, "ba01-bad-escape", "https://api.example.com/%zz", "InvalidBaseUrl", "spec.baseUrl"));
    rows.add(baseUrl(p, "ba02-pipe", "https://api.example.com/a|b", "InvalidBaseUrl", "spec.baseUrl"));
    rows.add(baseUrl(p, "ba03-plain-http", "http://10.1.2.3:8080", "InsecureBaseUrl", "use https://"));
    rows.add(apiKey(p, "ba04-key-return", "sgp_key_first\rsecond_0004", "InvalidHeaderValue", "the API key"));
    rows.add(apiKey(p, "ba05-key-nul", "sgp_key_nul\u0000byte_0005", "InvalidHeaderValue", "the API key"));
    rows.add(new OperatorRow(Category.API_KEY_BYTES, p, "ba06-account-lf", "spec.accountId with a line break",
        CONTROL_PLANE, "InvalidHeaderValue", "spec.accountId", sim -> {
          ControlPlane cp = controlPlane(p, "ba06-account-lf", sim + "/ba06-account-lf", GOOD_KEY);
          cp.getSpec().setAccountId("acct-0006\nx");
          return List.of(cp);
        }, List.of()));
    rows.add(agent(Category.REFERENCES, p, "ba07-manifest-cm", "manifest from a missing ConfigMap",
        "ConfigMapNotFound", "ConfigMap ba07-missing", List.of(),
        a -> a.getSpec().getAgentex().setManifest(TextSource.fromConfigMap("ba07-missing", "manifest.yaml"))));
    rows.add(agent(Category.REFERENCES, p, "ba08-env-cm-key", "environment config from a missing key",
        "ConfigMapKeyNotFound", "no key env.yaml", List.of(configMap("ba08-env", Map.of("other.yaml", "a: 1\n"))),
        a -> a.getSpec().getAgentex().setEnvironmentConfig(TextSource.fromConfigMap("ba08-env", "env.yaml"))));
    rows.add(new OperatorRow(Category.REFERENCES, p, "ba09-cp-key", "ControlPlane's key Secret lacks the key",
        CONTROL_PLANE, "SecretKeyNotFound", "has no key apiKey", sim -> List.of(
            secret("ba09-key", Map.of("token", "sgp_key_0009")),
            controlPlane(p, "ba09-cp-key", sim + "/ba09-cp-key", "ba09-key")), List.of("sgp_key_0009")));
    rows.add(agent(Category.REFERENCES, p, "ba10-wrong-provider", "spec.agentex on a LangSmith ControlPlane",
        "ProviderMismatch", "provider agentex", List.of(), a -> controlPlaneRef(a, SimulatedWorld.CONTROL_PLANE)));
    rows.add(agent(Category.ENV, p, "ba11-env-not-yaml", "inline environment config that is not YAML",
        "InvalidSpec", "environmentConfig is not YAML", List.of(),
        a -> a.getSpec().getAgentex().setEnvironmentConfig(TextSource.inline("env: [unclosed\n  - x: {"))));
    rows.add(agent(Category.ENV, p, "ba12-env-cm-not-yaml", "environment config ConfigMap that is not YAML",
        "InvalidSpec", "environmentConfig is not YAML", List.of(configMap("ba12-env", Map.of("env.yaml", "a: b: c\n"))),
        a -> a.getSpec().getAgentex().setEnvironmentConfig(TextSource.fromConfigMap("ba12-env", "env.yaml"))));
    rows.add(agent(Category.MANIFESTS, p, "ba13-manifest-not-yaml", "a manifest that is not YAML", "InvalidSpec",
        "manifest is not YAML", List.of(),
        a -> a.getSpec().getAgentex().setManifest(TextSource.inline("agent: [name: {"))));
    rows.add(agent(Category.MANIFESTS, p, "ba14-manifest-other", "a manifest naming another agent", "InvalidSpec",
        "they must match", List.of(),
        a -> a.getSpec().getAgentex().setManifest(TextSource.inline(Resources.manifest("someone-else")))));
    rows.add(agent(Category.MANIFESTS, p, "ba15-manifest-unnamed", "a manifest without agent.name", "InvalidSpec",
        "(agent.name)", List.of(),
        a -> a.getSpec().getAgentex().setManifest(TextSource.inline("agent:\n  description: no name\n"))));
    rows.add(new OperatorRow(Category.ENCODING, p, "ba16-key-bytes", "API key bytes not UTF-8", CONTROL_PLANE,
        "InvalidSecretValue", "not UTF-8", sim -> List.of(byteSecret("ba16-key", "apiKey", NOT_UTF8),
            controlPlane(p, "ba16-key-bytes", sim + "/ba16-key-bytes", "ba16-key")), notUtf8()));
    rows.add(agent(Category.ENCODING, p, "ba17-manifest-bytes", "manifest binaryData not UTF-8",
        "InvalidConfigMapValue", "binaryData key manifest.yaml is not UTF-8", List.of(
            binaryConfigMap("ba17-manifest", "manifest.yaml", NOT_UTF8)),
        a -> a.getSpec().getAgentex().setManifest(TextSource.fromConfigMap("ba17-manifest", "manifest.yaml"))));
    rows.add(apiKey(p, "ba18-key-unicode", "sgp_\u043a\u043b\u044e\u0447_0018", "InvalidHeaderValue", "the API key"));
    rows.add(new OperatorRow(Category.ENCODING, p, "ba20-url-unicode-host", "spec.baseUrl with a non-ASCII host",
        CONTROL_PLANE, "InvalidBaseUrl", "not a DNS name", sim -> List.of(controlPlane(p, "ba20-url-unicode-host",
            "https://ag\u00ebntex.example.com/ba20-url-unicode-host", GOOD_KEY)), List.of()));
    rows.addAll(caBundles(p, "ba21", "ba22"));
    // The accept-account annotation names another account than the one the ControlPlane now addresses:
    // the resource's deployment was made in an earlier account (its status says so, as after a move of
    // the ControlPlane, or a restore that brings status back), so nothing is sent until it names this one.
    rows.add(new OperatorRow(Category.ANNOTATIONS, p, "ba23-account-typo", Annotations.ACCEPT_ACCOUNT
        + " naming another account", AGENT_DEPLOYMENT, "AccountNotAccepted", "which is not the current account",
        sim -> List.of(Resources.agentexAgent("ba23-account-typo", "ba23-moved", "1")), List.of())
        .then(world -> movedAccount(world, "ba23-account-typo", "ba23-moved")));
    rows.add(new OperatorRow(Category.SELECTORS, p, "ba19-selector", "selector operator with no values",
        CLUSTER_CONTROL_PLANE, "InvalidSelector", "spec.allowedNamespaces.selector", sim -> List.of(
            clusterControlPlane(p, "ba19-selector", sim + "/ba19-selector")), List.of()));
    return rows;
  }

  // --- row builders ---

  /** A ControlPlane's CA bundle: a ConfigMap that is not there, and one whose PEM is no certificate. */
  private static List<OperatorRow> caBundles(Provider p, String missing, String unreadable) {
    String missingName = missing + "-ca-missing";
    String unreadableName = unreadable + "-ca-unreadable";
    return List.of(
        new OperatorRow(Category.REFERENCES, p, missingName, "spec.caBundle names a missing ConfigMap", CONTROL_PLANE,
            "InvalidCaBundle", "ConfigMap " + missingName + "-ca", sim -> List.of(withCaBundle(
                controlPlane(p, missingName, sim + "/" + missingName, GOOD_KEY), missingName + "-ca")), List.of()),
        new OperatorRow(Category.REFERENCES, p, unreadableName, "spec.caBundle holds no PEM certificate",
            CONTROL_PLANE, "InvalidCaBundle", "no PEM certificate", sim -> List.of(
                configMap(unreadableName + "-ca", Map.of("ca.crt", "-----BEGIN PRIVATE KEY-----\nAAAA\n")),
                withCaBundle(controlPlane(p, unreadableName, sim + "/" + unreadableName, GOOD_KEY),
                    unreadableName + "-ca")), List.of()));
  }

  private static ControlPlane withCaBundle(ControlPlane cp, String configMap) {
    cp.getSpec().setCaBundle(io.agentdeploy.operator.api.CaBundleSource.configMap(configMap, "ca.crt"));
    return cp;
  }

  private static OperatorRow baseUrl(Provider p, String name, String url, String reason, String fix) {
    return new OperatorRow(Category.BASE_URL, p, name, "spec.baseUrl " + url, CONTROL_PLANE, reason, fix,
        sim -> List.of(controlPlane(p, name, url, GOOD_KEY)), List.of());
  }

  private static OperatorRow apiKey(Provider p, String name, String key, String reason, String fix) {
    Category category = key.chars().anyMatch(c -> c > 0x7e && !Character.isISOControl(c)) ? Category.ENCODING
        : Category.API_KEY_BYTES;
    return new OperatorRow(category, p, name, "an API key of " + describe(key), CONTROL_PLANE, reason, fix,
        sim -> List.of(secret(name + "-key", Map.of("apiKey", key)), controlPlane(p, name, sim + "/" + name,
            name + "-key")), key.isBlank() ? List.of() : List.of(key));
  }

  private static OperatorRow agent(Category category, Provider p, String name, String input, String reason,
      String fix, List<HasMetadata> extra, UnaryOperatorVoid<AgentDeployment> change, String... secrets) {
    Function<String, List<HasMetadata>> objects = sim -> {
      AgentDeployment agd = p == LANGSMITH
          ? Resources.dockerAgent(name, SimulatedWorld.CONTROL_PLANE, "registry.example.com/" + name + ":1")
          : Resources.agentexAgent(name, SimulatedWorld.AGENTEX_CONTROL_PLANE, "1");
      change.apply(agd);
      List<HasMetadata> all = new ArrayList<>(extra);
      all.add(agd);
      return all;
    };
    return new OperatorRow(category, p, name, input, AGENT_DEPLOYMENT, reason, fix, objects, List.of(secrets));
  }

  /** A change to a resource in place. */
  interface UnaryOperatorVoid<T> {
    void apply(T t);
  }

  private static String describe(String key) {
    StringBuilder out = new StringBuilder();
    key.chars().filter(c -> c < 0x21 || c > 0x7e).distinct().forEach(c -> out.append(out.length() == 0 ? "" : ", ")
        .append(String.format("U+%04X", c)));
    return out.length() == 0 ? "plain text" : out.toString();
  }

  private static List<String> notUtf8() {
    // How the value would read if decoded leniently, and its base64 form: neither may be printed.
    return List.of(new String(NOT_UTF8, java.nio.charset.StandardCharsets.UTF_8),
        Base64.getEncoder().encodeToString(NOT_UTF8));
  }

  /**
   * Gives the resource (waiting for its ControlPlane, so nothing was sent) the status of a deployment
   * made in an earlier account, then creates its ControlPlane, which addresses the world's account
   * and carries an accept-account annotation naming neither.
   */
  private static void movedAccount(SimulatedWorld world, String name, String controlPlane) {
    world.env.awaitAgent(name, java.time.Duration.ofSeconds(20),
        OperatorHarness.reason(io.agentdeploy.operator.controller.Conditions.SYNCED, "ControlPlaneNotFound"));
    world.env.client.resources(AgentDeployment.class).inNamespace(Resources.NS).withName(name).editStatus(a -> {
      a.getStatus().setDeploymentId("d-" + name);
      a.getStatus().setAccount("https://old.example.com#acct-old");
      return a;
    });
    ControlPlane cp = controlPlane(AGENTEX, controlPlane, world.sim.baseUrl(), GOOD_KEY);
    cp.getMetadata().setAnnotations(Map.of(Annotations.ACCEPT_ACCOUNT, "https://old.example.com#acct-typo"));
    world.env.client.resource(cp).create();
  }

  // --- object builders ---

  /** The row's resource as any other row makes it, on the world's ControlPlane of the provider. */
  private static AgentDeployment agentOf(Provider p, String name) {
    return p == LANGSMITH
        ? Resources.dockerAgent(name, SimulatedWorld.CONTROL_PLANE, "registry.example.com/" + name + ":1")
        : Resources.agentexAgent(name, SimulatedWorld.AGENTEX_CONTROL_PLANE, "1");
  }

  private static AgentDeployment clusterRef(AgentDeployment agd, String clusterControlPlane) {
    agd.getSpec().setControlPlaneRef(new io.agentdeploy.operator.api.ControlPlaneReference(clusterControlPlane,
        io.agentdeploy.operator.api.ControlPlaneKind.ClusterControlPlane));
    return agd;
  }

  /** A ClusterControlPlane at the simulator's own URL (its checks name no row) allowing only {@code namespace}. */
  private static ClusterControlPlane allowingOnly(Provider p, String name, String sim, String namespace) {
    ClusterControlPlane cp = clusterControlPlane(p, name, sim);
    cp.getSpec().setAllowedNamespaces(new NamespaceAllowList(List.of(namespace), null));
    return cp;
  }

  static ControlPlane controlPlane(Provider p, String name, String baseUrl, String keySecret) {
    return p == LANGSMITH ? Resources.controlPlane(name, baseUrl, keySecret, SimulatedWorld.TENANT)
        : Resources.agentexControlPlane(name, baseUrl, keySecret);
  }

  private static ControlPlane tenant(ControlPlane cp, String tenant) {
    cp.getSpec().setTenantId(tenant);
    return cp;
  }

  private static ClusterControlPlane clusterControlPlane(Provider p, String name, String baseUrl) {
    ClusterControlPlane cp = new ClusterControlPlane();
    cp.setMetadata(new ObjectMetaBuilder().withName(name).build());
    ClusterControlPlaneSpec spec = new ClusterControlPlaneSpec();
    spec.setProvider(p);
    spec.setBaseUrl(baseUrl);
    spec.setApiKeySecretRef(new SecretKeySelector(GOOD_KEY, "apiKey"));
    spec.setTenantId(p == LANGSMITH ? SimulatedWorld.TENANT : null);
    spec.setAccountId(p == AGENTEX ? "acct-test" : null);
    var selector = new LabelSelectorBuilder().addNewMatchExpression().withKey("tier")
        .withOperator(p == LANGSMITH ? "Has" : "In").endMatchExpression().build();
    spec.setAllowedNamespaces(new NamespaceAllowList(List.of(), selector));
    cp.setSpec(spec);
    return cp;
  }

  static Secret secret(String name, Map<String, String> data) {
    return Resources.secret(name, data);
  }

  static Secret byteSecret(String name, String key, byte[] bytes) {
    return new SecretBuilder().withMetadata(new ObjectMetaBuilder().withName(name).withNamespace(Resources.NS).build())
        .withData(Map.of(key, Base64.getEncoder().encodeToString(bytes))).build();
  }

  static ConfigMap configMap(String name, Map<String, String> data) {
    return new ConfigMapBuilder().withMetadata(new ObjectMetaBuilder().withName(name).withNamespace(Resources.NS)
        .build()).withData(data).build();
  }

  static ConfigMap binaryConfigMap(String name, String key, byte[] bytes) {
    return new ConfigMapBuilder().withMetadata(new ObjectMetaBuilder().withName(name).withNamespace(Resources.NS)
        .build()).withBinaryData(Map.of(key, Base64.getEncoder().encodeToString(bytes))).build();
  }

  private static void env(AgentDeployment agd, EnvVar extra) {
    agd.getSpec().getLangsmith().getEnv().add(extra);
  }

  private static void controlPlaneRef(AgentDeployment agd, String name) {
    agd.getSpec().getControlPlaneRef().setName(name);
  }
}
