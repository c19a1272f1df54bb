package io.agentdeploy.operator.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Switches the console log between plain text (default) and one JSON object per line
 * ({@link JsonLogEncoder}). Either way each line carries the MDC: {@code resource} (namespace/name)
 * while a resource is reconciled.
 */
public final class LogSetup {
  private LogSetup() {}

  public static void configure(String format, String level) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (level != null && !level.isBlank()) {
      root.setLevel(Level.toLevel(level.toUpperCase(Locale.ROOT), Level.INFO));
    }
    if (!"json".equalsIgnoreCase(format)) {
      return;
    }
    Encoder<ILoggingEvent> encoder = jsonEncoder(context);
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("JSON");
    appender.setEncoder(encoder);
    appender.start();
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
  }

  /** Errors only, also from the frameworks (the demo prints its own table). */
  public static void quiet() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    for (String name : new String[] {org.slf4j.Logger.ROOT_LOGGER_NAME, "io.javaoperatorsdk", "io.fabric8", "io.agentdeploy"}) {
      context.getLogger(name).setLevel(Level.ERROR);
    }
  }

  private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
    JsonLogEncoder encoder = new JsonLogEncoder();
    encoder.setContext(context);
    encoder.start();
    return encoder;
  }


}
