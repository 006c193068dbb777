package io.statejob.runtime.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statejob.api.config.RuntimeConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The runtime's and the operator's log configuration: key=value lines by default, one JSON object
 * per line with {@code STATEJOB_LOG_FORMAT=json} (set here as the system property logback reads
 * before the environment), each through the one appender the root logger gets.
 */
class LogFormatTest {
  private static final String FORMAT = "STATEJOB_LOG_FORMAT";

  @ParameterizedTest
  @ValueSource(
      strings = {"src/main/resources/logback.xml", "../operator/src/main/resources/logback.xml"})
  void jsonLinesCarryTheLevelLoggerMessageAndKeyValues(String config) throws Exception {
    JsonNode line =
        new ObjectMapper().readTree(logOneLine(config, "json").lines().findFirst().orElseThrow());
    assertThat(line.get("level").asText()).isEqualTo("INFO");
    assertThat(line.get("loggerName").asText()).isEqualTo("io.statejob.Example");
    assertThat(line.get("message").asText()).isEqualTo("checkpoint completed");
    assertThat(line.get("kvpList").toString()).contains("\"checkpoint\":\"7\"");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"src/main/resources/logback.xml", "../operator/src/main/resources/logback.xml"})
  void textIsTheDefault(String config) throws Exception {
    assertThat(logOneLine(config, null))
        .contains("level=INFO logger=Example")
        .contains("msg=\"checkpoint completed\" checkpoint=\"7\"");
  }

  /** What logging one line under {@code config} writes, through the appender it attaches. */
  private static String logOneLine(String config, String format) throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    if (format != null) {
      System.setProperty(FORMAT, format);
    }
    try {
      LoggerContext context = new LoggerContext();
      context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(Path.of(config).toFile());
      assertThat(context.getStatusManager().getCopyOfStatusList())
          .as("no warning, which would print logback's status on every start")
          .allMatch(status -> status.getLevel() == ch.qos.logback.core.status.Status.INFO);
      Iterator<Appender<ILoggingEvent>> appenders =
          context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
      ((OutputStreamAppender<ILoggingEvent>) appenders.next()).setOutputStream(captured);
      assertThat(appenders.hasNext()).as("one appender").isFalse();
      context
          .getLogger("io.statejob.Example")
          .atInfo()
          .addKeyValue("checkpoint", 7)
          .log("checkpoint completed");
      context.stop();
    } finally {
      System.clearProperty(FORMAT);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aJobsLoggingFormatSwitchesTheRunningProcessToItsAppender() {
    try {
      LogFormat.apply(RuntimeConfig.of(Map.of("logging.format", "json")));
      assertThat(rootAppender()).isEqualTo("json");
    } finally {
      LogFormat.apply(RuntimeConfig.of(Map.of("logging.format", "text")));
    }
    assertThat(rootAppender()).isEqualTo("text");
  }

  /** The root appender's encoder: each format's appender is named {@code out}. */
  private static String rootAppender() {
    LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    Appender<ILoggingEvent> appender =
        context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().next();
    return ((OutputStreamAppender<ILoggingEvent>) appender).getEncoder()
            instanceof ch.qos.logback.classic.encoder.JsonEncoder
        ? "json"
        : "text";
  }
}
