package io.statejob.api.validation;

import io.fabric8.generator.annotation.Size;
import io.statejob.api.model.StateJobSpec;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The CRD's {@code maxLength}, {@code maxItems} and {@code maxProperties} ({@link Size} on the
 * model's fields), checked on a spec before any of its values is parsed: an API server without the
 * schema's limits, or a local manifest, can hold a megabyte in any string, and no parser or message
 * should meet it.
 */
final class SizeLimits {
  private static final Package MODEL = StateJobSpec.class.getPackage();

  private SizeLimits() {}

  /** Adds an error for each field of {@code node} (at {@code path}) longer than its limit. */
  static void check(Object node, String path, List<String> errors) {
    for (Field field : node.getClass().getFields()) {
      if (Modifier.isStatic(field.getModifiers())) {
        continue;
      }
      Object value = valueOf(field, node);
      if (value == null) {
        continue;
      }
      String fieldPath = path + "." + field.getName();
      Size size = field.getAnnotation(Size.class);
      if (size != null && length(value) > size.max()) {
        errors.add(
            fieldPath
                + ": "
                + length(value)
                + " "
                + unit(value)
                + ", more than the "
                + size.max()
                + " allowed");
      } else if (value.getClass().getPackage() == MODEL && !value.getClass().isEnum()) {
        check(value, fieldPath, errors);
      }
    }
  }

  private static Object valueOf(Field field, Object node) {
    try {
      return field.get(node);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("the model's fields are public: " + field, e);
    }
  }

  private static long length(Object value) {
    if (value instanceof CharSequence text) {
      return text.length();
    }
    if (value instanceof Collection<?> items) {
      return items.size();
    }
    if (value instanceof Map<?, ?> entries) {
      return entries.size();
    }
    throw new IllegalStateException("@Size on a " + value.getClass().getSimpleName());
  }

  private static String unit(Object value) {
    return value instanceof CharSequence ? "characters" : value instanceof Map ? "keys" : "items";
  }
}
