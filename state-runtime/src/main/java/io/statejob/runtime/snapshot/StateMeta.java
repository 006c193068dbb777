package io.statejob.runtime.snapshot;

import io.statejob.runtime.api.state.MapStateDescriptor;
import io.statejob.runtime.api.state.StateDescriptor;
import io.statejob.runtime.api.state.StateKind;

/**
 * How one keyed state is stored: enough to decode it without the job's code (for dumps) and to
 * check a restore against the job's descriptors.
 *
 * @param name the state's name, scoped by the function's uid ({@code uid.name})
 * @param kind value, list, map, reducing or aggregating
 * @param keySerializer serializer id of the stream's key
 * @param namespaceSerializer serializer id of the namespace ({@code void} outside windows)
 * @param valueSerializer serializer id of the value, list element, map value or accumulator
 * @param userKeySerializer serializer id of map keys; null for other kinds
 */
public record StateMeta(
    String name,
    StateKind kind,
    String keySerializer,
    String namespaceSerializer,
    String valueSerializer,
    String userKeySerializer) {

  public static StateMeta of(
      String scopedName, StateDescriptor descriptor, String keySerializer, String namespace) {
    String userKey =
        descriptor instanceof MapStateDescriptor<?, ?> map ? map.userKeySerializer().id() : null;
    return new StateMeta(
        scopedName,
        descriptor.kind(),
        keySerializer,
        namespace,
        descriptor.valueSerializer().id(),
        userKey);
  }

  /** Why state written as {@code this} cannot be read as {@code declared}, if it cannot. */
  public java.util.Optional<String> incompatibilityWith(StateMeta declared) {
    if (kind != declared.kind) {
      return java.util.Optional.of(
          "state '"
              + name
              + "' was written as "
              + kind
              + " state; the job now declares "
              + declared.kind);
    }
    if (!valueSerializer.equals(declared.valueSerializer)
        || !keySerializer.equals(declared.keySerializer)
        || !namespaceSerializer.equals(declared.namespaceSerializer)
        || !java.util.Objects.equals(userKeySerializer, declared.userKeySerializer)) {
      return java.util.Optional.of(
          "state '"
              + name
              + "' was written with serializers "
              + describeSerializers()
              + "; the job now declares "
              + declared.describeSerializers());
    }
    return java.util.Optional.empty();
  }

  private String describeSerializers() {
    return "key="
        + keySerializer
        + (namespaceSerializer.equals("void") ? "" : " namespace=" + namespaceSerializer)
        + (userKeySerializer == null ? "" : " mapKey=" + userKeySerializer)
        + " value="
        + valueSerializer;
  }
}
