package io.statejob.operator.resources;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;

/**
 * A digest of the runtime config, put on the pod templates: pods read their config only at start,
 * so a changed config must change the template to roll them. The expected restore point is left
 * out: it changes with every checkpoint and must not roll the pods.
 */
public final class ConfigHash {
  public static final String ANNOTATION = "statejob.io/config-hash";

  private ConfigHash() {}

  public static String of(ConfigMap config) {
    TreeMap<String, String> data = new TreeMap<>(config.getData());
    data.remove(RuntimeConfigMapBuilder.RESTORE_POINT);
    return sha256(data.toString());
  }

  public static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
