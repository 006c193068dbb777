package io.statejob.runtime.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import org.slf4j.LoggerFactory;

/**
 * Switches the log lines to the format the job's config names ({@code logging.format}), which is
 * known only once the config is read: {@code logback.xml} picks its appender from {@code
 * STATEJOB_LOG_FORMAT}, which this sets before logback reads its configuration again.
 */
public final class LogFormat {
  static final String PROPERTY = "STATEJOB_LOG_FORMAT";

  private LogFormat() {}

  public static void apply(RuntimeConfig config) {
    String format = config.get(RuntimeOptions.LOGGING_FORMAT);
    String current = System.getProperty(PROPERTY, System.getenv(PROPERTY));
    if (format.equals(current == null ? "text" : current)
        || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    System.setProperty(PROPERTY, format);
    context.reset();
    try {
      new ContextInitializer(context).autoConfig();
    } catch (JoranException e) {
      throw new IllegalStateException("cannot configure logging: " + e.getMessage(), e);
    }
  }
}
