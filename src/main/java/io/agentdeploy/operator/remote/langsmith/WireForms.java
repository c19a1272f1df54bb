package io.agentdeploy.operator.remote.langsmith;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The canonical forms drift is compared in: spellings a control plane may store for the same
 * value (a lower-cased host, {@code docker.io/library/} and {@code :latest} filled in, a branch as
 * {@code refs/heads/main}) must not read as drift, or every resync would PATCH a new revision.
 * Each form is applied to both sides, and a value that does not parse is compared as written.
 */
final class WireForms {
  private static final Pattern BLANKS = Pattern.compile("\\s+");
  private static final Pattern QUANTITY = Pattern.compile("^([+-]?[0-9]*\\.?[0-9]+)(e[+-]?[0-9]+|[a-zA-Z]*)$");
  private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
      Map.entry("", BigDecimal.ONE), Map.entry("m", new BigDecimal("0.001")),
      Map.entry("k", BigDecimal.TEN.pow(3)), Map.entry("M", BigDecimal.TEN.pow(6)),
      Map.entry("G", BigDecimal.TEN.pow(9)), Map.entry("T", BigDecimal.TEN.pow(12)),
      Map.entry("P", BigDecimal.TEN.pow(15)), Map.entry("E", BigDecimal.TEN.pow(18)),
      Map.entry("Ki", BigDecimal.valueOf(2).pow(10)), Map.entry("Mi", BigDecimal.valueOf(2).pow(20)),
      Map.entry("Gi", BigDecimal.valueOf(2).pow(30)), Map.entry("Ti", BigDecimal.valueOf(2).pow(40)),
      Map.entry("Pi", BigDecimal.valueOf(2).pow(50)), Map.entry("Ei", BigDecimal.valueOf(2).pow(60)));

  private WireForms() {}

  /**
   * A URL with its scheme and host lower-cased, the scheme's default port dropped and no trailing
   * slash on the path; query and fragment as written.
   */
  static String url(String value) {
    String trimmed = value.trim();
    try {
      URI uri = new URI(trimmed);
      if (uri.getScheme() == null || uri.getRawAuthority() == null) {
        return trimmed;
      }
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      String authority = uri.getRawAuthority();
      int at = authority.lastIndexOf('@');
      String userInfo = at < 0 ? "" : authority.substring(0, at + 1);
      String hostPort = authority.substring(at + 1).toLowerCase(Locale.ROOT);
      if ((scheme.equals("https") && hostPort.endsWith(":443")) || (scheme.equals("http") && hostPort.endsWith(":80"))) {
        hostPort = hostPort.substring(0, hostPort.lastIndexOf(':'));
      }
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      while (path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      return scheme + "://" + userInfo + hostPort + path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
          + (uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment());
    } catch (URISyntaxException notAUrl) {
      return trimmed;
    }
  }

  /**
   * An image reference as Docker resolves it: a name without a registry lives on
   * {@code docker.io} (official images under {@code library/}), and a name without a tag or digest
   * means {@code :latest}. The registry host is lower-cased; repository and tag stay as written.
   */
  static String image(String value) {
    String ref = value.trim();
    if (ref.isEmpty()) {
      return ref;
    }
    int slash = ref.indexOf('/');
    String first = slash < 0 ? "" : ref.substring(0, slash);
    boolean hasRegistry = slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"));
    String registry = hasRegistry ? first.toLowerCase(Locale.ROOT) : "docker.io";
    String path = hasRegistry ? ref.substring(slash + 1) : ref;
    if (registry.equals("index.docker.io") || registry.equals("registry-1.docker.io")) {
      registry = "docker.io";
    }
    String digest = "";
    int at = path.indexOf('@');
    if (at >= 0) {
      digest = path.substring(at);
      path = path.substring(0, at);
    }
    int lastSlash = path.lastIndexOf('/');
    boolean tagged = path.indexOf(':', lastSlash + 1) >= 0;
    if (registry.equals("docker.io") && !path.contains("/")) {
      path = "library/" + path;
    }
    if (!tagged && digest.isEmpty()) {
      path = path + ":latest";
    }
    return registry + "/" + path + digest;
  }

  /** A git ref: a branch may be stored as {@code refs/heads/<branch>}. */
  static String gitRef(String value) {
    String ref = value.trim();
    return ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : ref;
  }

  /** A path inside the repository: {@code ./langgraph.json} is {@code langgraph.json}. */
  static String repoPath(String value) {
    String path = value.trim().replaceAll("/{2,}", "/");
    while (path.startsWith("./")) {
      path = path.substring(2);
    }
    return path;
  }

  /**
   * A shell command line: surrounding blanks trimmed and runs of blanks as one space. A change
   * that only alters blanks inside a quoted argument is not seen as drift (a documented trade-off).
   */
  static String command(String value) {
    return BLANKS.matcher(value.trim()).replaceAll(" ");
  }

  /** CPU cores: the control plane rounds them to one decimal (half up). */
  static BigDecimal cpu(BigDecimal cores) {
    return cores.setScale(1, RoundingMode.HALF_UP);
  }

  /** A Kubernetes quantity ({@code 500m}, {@code 1Gi}, {@code 1e3}) as a number, when it parses. */
  static Optional<BigDecimal> quantity(String value) {
    Matcher m = QUANTITY.matcher(value.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    BigDecimal number = new BigDecimal(m.group(1));
    String suffix = m.group(2);
    if (suffix.startsWith("e") && suffix.length() > 1) {
      return Optional.of(number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1).replace("+", ""))));
    }
    BigDecimal factor = SUFFIXES.get(suffix);
    return factor == null ? Optional.empty() : Optional.of(number.multiply(factor));
  }
}
