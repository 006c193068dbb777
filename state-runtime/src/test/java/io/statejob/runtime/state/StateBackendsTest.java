package io.statejob.runtime.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.state.heap.MemoryStateBackendFactory;
import io.statejob.runtime.storage.CheckpointStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StateBackendsTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "memory, memory",
    "jobmanager, memory",
    "MEMORY, memory",
    "filesystem, filesystem",
    "rocksdb, rocksdb",
  })
  void builtInBackendsAreFoundByTheirNames(String name, String backend) throws Exception {
    assertThat(load(name).name()).isEqualTo(backend);
  }

  @ParameterizedTest(name = "hashmap, dir {0}, storage {1}: {2}")
  @CsvSource({
    "false, '', memory",
    "true, '', filesystem",
    "true, jobmanager, memory",
    "true, filesystem, filesystem",
  })
  void flinksHashMapIsHeapStateCheckpointedWhereTheStorageSays(
      boolean withDir, String storage, String backend) throws Exception {
    Map<String, String> settings = new java.util.HashMap<>();
    settings.put("state.backend.type", "hashmap");
    if (withDir) {
      settings.put("execution.checkpointing.dir", dir.toUri().toString());
    }
    if (!storage.isEmpty()) {
      settings.put("state.checkpoint-storage", storage);
    }
    assertThat(StateBackends.load(RuntimeConfig.of(settings), getClass().getClassLoader()).name())
        .isEqualTo(backend);
  }

  @Test
  void aRegisteredFactoryIsFoundByItsName() throws Exception {
    assertThat(load("in-test").name()).isEqualTo("in-test");
  }

  @Test
  void aFactoryClassIsFoundByItsName() throws Exception {
    assertThat(load(MemoryStateBackendFactory.class.getName()).name()).isEqualTo("memory");
  }

  @Test
  void anUnknownNameIsRefusedNamingTheKnownOnes() {
    assertThatThrownBy(() -> load("hashtable"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("state.backend: 'hashtable' is neither")
        .hasMessageContaining("memory, jobmanager")
        .hasMessageContaining("filesystem")
        .hasMessageContaining("rocksdb")
        .hasMessageContaining("nor a class on the class path");
  }

  @Test
  void aClassThatIsNoFactoryIsRefused() {
    assertThatThrownBy(() -> load(String.class.getName()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "java.lang.String does not implement " + StateBackendFactory.class.getName());
  }

  private StateBackend load(String name) throws Exception {
    return StateBackends.load(
        RuntimeConfig.of(
            Map.of(
                "state.backend", name,
                "state.checkpoints.dir", dir.toUri().toString(),
                "state.backend.rocksdb.localdir", dir.resolve("rocksdb").toString())),
        getClass().getClassLoader());
  }

  /** A backend registered as a service by this test's class path, under its own name. */
  public static final class InTestBackendFactory implements StateBackendFactory {
    @Override
    public List<String> names() {
      return List.of("in-test");
    }

    @Override
    public StateBackend create(RuntimeConfig config, ClassLoader classLoader) throws Exception {
      StateBackend memory = new MemoryStateBackendFactory().create(config, classLoader);
      return new StateBackend() {
        @Override
        public String name() {
          return "in-test";
        }

        @Override
        public <K> KeyedStateBackend<K> createKeyedStateBackend(
            KeyedBackendParameters<K> parameters) throws IOException {
          return memory.createKeyedStateBackend(parameters);
        }

        @Override
        public CheckpointStorage createCheckpointStorage(String jobId) throws IOException {
          return memory.createCheckpointStorage(jobId);
        }

        @Override
        public boolean asyncSnapshots() {
          return memory.asyncSnapshots();
        }
      };
    }
  }
}
