package io.statejob.operator.resources;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.statejob.api.model.StateJob;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The Secret {@code <job>-api-token}: the bearer token that the coordinator asks of requests that
 * change the job (savepoints, checkpoints on request, resume), and that the operator sends. The
 * token is made once, when the Secret does not exist, and kept from then on; a Secret deleted by
 * hand is made again with a new token, which the coordinator reads at its next request.
 */
public final class ApiTokenSecretBuilder {
  /** The Secret's key, and the file of that name in the coordinator's mount. */
  static final String KEY = "token";

  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiTokenSecretBuilder() {}

  public static Secret build(StateJob job, String token) {
    return new SecretBuilder()
        .withMetadata(OwnedMetadata.of(job, ResourceNames.apiToken(job), Labels.COORDINATOR))
        .withType("Opaque")
        .withData(
            Map.of(KEY, Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8))))
        .build();
  }

  /** 256 random bits, URL-safe: a token no one guesses. */
  public static String newToken() {
    byte[] bits = new byte[32];
    RANDOM.nextBytes(bits);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
  }

  /** The token a Secret holds, when it holds one. */
  public static Optional<String> tokenOf(Secret secret) {
    return Optional.ofNullable(secret.getData())
        .map(data -> data.get(KEY))
        .map(encoded -> new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8))
        .map(String::strip)
        .filter(token -> !token.isEmpty());
  }
}
