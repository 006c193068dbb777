package io.statejob.runtime.storage;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.snapshot.CheckpointMetadata;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.testing.LocalS3Server;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checkpoint storage on s3a:// against a real S3-compatible server. */
class S3CheckpointTest {
  private static LocalS3Server s3;
  private static ListAppender<ILoggingEvent> logs;

  @BeforeAll
  static void startServer() throws Exception {
    s3 = LocalS3Server.start("ckpt");
    logs = LocalS3Server.captureLogs();
  }

  @AfterAll
  static void stopServer() throws Exception {
    s3.close();
    LocalS3Server.assertSecretNeverLogged(logs);
  }

  @Test
  void metadataIsWrittenWithOnePutAndFoundByListingAfterARestart() throws Exception {
    RuntimeConfig config = RuntimeConfig.of(s3.s3aConfig());
    try (FileSystemCheckpointStorage storage =
        new FileSystemCheckpointStorage(
            java.net.URI.create("s3a://ckpt/base"), "job-a", config, 1024)) {
      for (long id = 1; id <= 3; id++) {
        storage.persist(
            new CheckpointMetadata(
                "job-a", id, 1, 2, "filesystem", 128, 1, List.of(), Map.of(), false, null, 0));
      }
      storage.discard(2);
    }
    try (FileSystemCheckpointStorage restarted =
        new FileSystemCheckpointStorage(
            java.net.URI.create("s3a://ckpt/base"), "job-a", config, 1024)) {
      assertThat(restarted.recover().completed())
          .extracting(CompletedCheckpoint::id)
          .containsExactly(1L, 3L);
      assertThat(Checkpoints.load("s3a://ckpt/base", config).id()).isEqualTo(3);
    }
  }

  @Test
  void aFailureNamesTheStorageTheEndpointAndTheCause() throws Exception {
    Map<String, String> values = new HashMap<>(s3.s3aConfig());
    values.put("fs.s3a.endpoint", "http://127.0.0.1:1");
    RuntimeConfig config = RuntimeConfig.of(values);
    try (FileSystemCheckpointStorage storage =
        new FileSystemCheckpointStorage(
            java.net.URI.create("s3a://ckpt/base"), "job-b", config, 1024)) {
      Exception failure =
          org.junit.jupiter.api.Assertions.assertThrows(
              Exception.class,
              () ->
                  storage.persist(
                      new CheckpointMetadata(
                          "job-b", 1, 1, 2, "memory", 128, 1, List.of(), Map.of(), false, null,
                          0)));
      assertThat(storage.describeFailure(failure))
          .contains("s3a://ckpt/base/job-b")
          .contains("endpoint http://127.0.0.1:1")
          .containsIgnoringCase("connect");
    }
  }
}
