package io.statejob.api.model;

/**
 * Regular expressions of the CRD schema. The API server's engine (RE2) is linear in the input; the
 * Java validator checks the same forms without them, since a repeated group in {@code
 * java.util.regex} recurses once per repetition.
 */
public final class Patterns {
  /** A Java class name: dot-separated identifiers. */
  public static final String JAVA_CLASS_NAME =
      "^([\\p{L}_$][\\p{L}\\p{N}_$]*\\.)*[\\p{L}_$][\\p{L}\\p{N}_$]*$";

  /**
   * Where checkpoints can go: a URI with a scheme. Whether the runtime has a file system for the
   * scheme is known only where Hadoop is (the runtime); the validator refuses the known mistakes.
   */
  public static final String CHECKPOINT_URI = "^[a-zA-Z][a-zA-Z0-9+.-]*:/.*";

  /** A Kubernetes-style duration: 500ms, 30s, 5m, 1h30m. */
  public static final String DURATION = "^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+$";

  /** A byte size as a Kubernetes quantity (512Ki, 5Mi, 1G) or a number of bytes. */
  public static final String BYTE_SIZE = "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|k|K|M|G|T)?$";

  private Patterns() {}
}
