package io.agentdeploy.operator.config;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One JSON object per line in the shape log pipelines (Loki, Elasticsearch, Cloud Logging) read
 * without a custom parser: {@code time} (RFC 3339, UTC, milliseconds), {@code level},
 * {@code logger}, {@code thread}, {@code message}, then every MDC field at the top level (the
 * resource being reconciled: {@code resource}, JOSDK's {@code resource.name} and friends), and for
 * an exception {@code error} (its one-line summary) and {@code stack} (the trace, still inside the
 * one line). logback's own JsonEncoder writes epoch milliseconds, {@code formattedMessage} and a
 * nested {@code mdc} object instead.
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {
  private static final DateTimeFormatter RFC_3339 =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);
  /** Fields the encoder writes itself; an MDC entry with one of these names is written with an "mdc." prefix. */
  private static final Set<String> OWN = Set.of("time", "level", "logger", "thread", "message", "error", "stack");
  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] NEWLINE = {'\n'};

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("time", RFC_3339.format(Instant.ofEpochMilli(event.getTimeStamp())));
      json.writeStringField("level", event.getLevel().toString());
      json.writeStringField("logger", event.getLoggerName());
      json.writeStringField("thread", event.getThreadName());
      json.writeStringField("message", event.getFormattedMessage());
      // Sorted, so the same fields always come in the same order.
      for (Map.Entry<String, String> field : new TreeMap<>(event.getMDCPropertyMap()).entrySet()) {
        json.writeStringField(OWN.contains(field.getKey()) ? "mdc." + field.getKey() : field.getKey(),
            field.getValue());
      }
      IThrowableProxy error = event.getThrowableProxy();
      if (error != null) {
        json.writeStringField("error", error.getClassName() + (error.getMessage() == null ? ""
            : ": " + error.getMessage()));
        json.writeStringField("stack", ThrowableProxyUtil.asString(error));
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.writeBytes(NEWLINE);
    return out.toByteArray();
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }
}
