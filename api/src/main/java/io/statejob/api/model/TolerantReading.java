package io.statejob.api.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads any StateJob an API server can hold, as the operator must: one object it cannot read would
 * otherwise stop its informer, and with it every job. A value the Java model cannot hold (a number
 * out of range, an enum value or a field of a newer version) is left unset and recorded in {@link
 * StateJob#readProblems()}, where validation reports it on the object itself. Local manifests are
 * read strictly instead ({@link StateJobManifests}): there a mistake is an error at once.
 */
public final class TolerantReading {
  private static final String PROBLEMS = TolerantReading.class.getName();

  private TolerantReading() {}

  /** Makes {@code mapper} read StateJobs tolerantly; returns it. */
  public static ObjectMapper configure(ObjectMapper mapper) {
    SimpleModule module = new SimpleModule("statejob-tolerant-reading");
    module.setDeserializerModifier(
        new BeanDeserializerModifier() {
          @Override
          public JsonDeserializer<?> modifyDeserializer(
              DeserializationConfig config,
              BeanDescription bean,
              JsonDeserializer<?> deserializer) {
            return bean.getBeanClass() == StateJob.class
                ? new CollectingDeserializer(deserializer)
                : deserializer;
          }
        });
    return mapper.registerModule(module).addHandler(new LeaveUnset());
  }

  /** The problems of the StateJob being read, and where in the document it starts. */
  private record Collected(JsonStreamContext root, List<ReadProblem> problems) {}

  /** Gives the StateJob the problems found while reading it. */
  private static final class CollectingDeserializer extends DelegatingDeserializer {
    CollectingDeserializer(JsonDeserializer<?> delegate) {
      super(delegate);
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
      return new CollectingDeserializer(delegate);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      Object outer = ctxt.getAttribute(PROBLEMS);
      Collected collected = new Collected(p.getParsingContext(), new ArrayList<>());
      ctxt.setAttribute(PROBLEMS, collected);
      try {
        StateJob job = (StateJob) _delegatee.deserialize(p, ctxt);
        job.setReadProblems(List.copyOf(collected.problems()));
        return job;
      } finally {
        ctxt.setAttribute(PROBLEMS, outer);
      }
    }
  }

  /** Leaves what cannot be read unset and records it, instead of failing the whole read. */
  private static final class LeaveUnset extends DeserializationProblemHandler {
    @Override
    public boolean handleUnknownProperty(
        DeserializationContext ctxt,
        JsonParser p,
        JsonDeserializer<?> deserializer,
        Object beanOrClass,
        String propertyName)
        throws IOException {
      if (!record(
          ctxt,
          p.getParsingContext(),
          "is not a field this operator version knows (is the CRD newer?); ignored",
          false)) {
        return false;
      }
      p.skipChildren();
      return true;
    }

    @Override
    public Object handleWeirdStringValue(
        DeserializationContext ctxt, Class<?> targetType, String value, String failureMsg)
        throws IOException {
      return unset(ctxt, targetType, ctxt.getParser().getParsingContext(), value, failureMsg);
    }

    @Override
    public Object handleWeirdNumberValue(
        DeserializationContext ctxt, Class<?> targetType, Number value, String failureMsg)
        throws IOException {
      return unset(
          ctxt,
          targetType,
          ctxt.getParser().getParsingContext(),
          String.valueOf(value),
          failureMsg);
    }

    @Override
    public Object handleUnexpectedToken(
        DeserializationContext ctxt,
        JavaType targetType,
        JsonToken token,
        JsonParser p,
        String failureMsg)
        throws IOException {
      // at the start of a list or map, the field is the one that holds it
      JsonStreamContext field =
          token.isStructStart() ? p.getParsingContext().getParent() : p.getParsingContext();
      String expected = expected(targetType);
      if (targetType.getRawClass().isPrimitive()
          || !record(
              ctxt, field, "a " + describe(token) + " where " + expected + " belongs", true)) {
        return NOT_HANDLED;
      }
      p.skipChildren();
      return null;
    }

    private static Object unset(
        DeserializationContext ctxt,
        Class<?> type,
        JsonStreamContext field,
        String value,
        String failureMsg) {
      if (type.isPrimitive() || !record(ctxt, field, describe(type, value, failureMsg), true)) {
        return NOT_HANDLED;
      }
      return null;
    }

    /** Jackson's failure in the field's terms: what was given, and what fits. */
    private static String describe(Class<?> type, String value, String failureMsg) {
      int accepted = failureMsg.indexOf('[');
      if (type.isEnum() && accepted >= 0) {
        return "'" + value + "' is not one of " + failureMsg.substring(accepted);
      }
      if (Number.class.isAssignableFrom(type) && failureMsg.startsWith("Overflow")) {
        return value + " is out of range";
      }
      if (Number.class.isAssignableFrom(type)) {
        return "'" + value + "' is not a whole number";
      }
      return "'" + value + "' cannot be read: " + failureMsg;
    }

    private static String expected(JavaType type) {
      Class<?> raw = type.getRawClass();
      if (type.isCollectionLikeType() || type.isArrayType()) {
        return "a list";
      }
      if (raw == String.class || raw.isEnum()) {
        return "a string";
      }
      if (Number.class.isAssignableFrom(raw)) {
        return "a number";
      }
      return raw == Boolean.class ? "a boolean" : "a map";
    }

    private static String describe(JsonToken token) {
      return switch (token) {
        case START_ARRAY -> "list";
        case START_OBJECT -> "map";
        case VALUE_STRING -> "string";
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
        case VALUE_TRUE, VALUE_FALSE -> "boolean";
        default -> "value";
      };
    }

    /** Returns false outside a StateJob: other objects are read as the mapper would. */
    private static boolean record(
        DeserializationContext ctxt, JsonStreamContext field, String problem, boolean valueLost) {
      if (!(ctxt.getAttribute(PROBLEMS) instanceof Collected collected)) {
        return false;
      }
      collected.problems().add(new ReadProblem(path(field, collected.root()), problem, valueLost));
      return true;
    }

    /** {@code spec.podTemplate.spec.containers[0].ports}: the path from the StateJob's root. */
    private static String path(JsonStreamContext context, JsonStreamContext root) {
      List<String> steps = new ArrayList<>();
      for (JsonStreamContext c = context; c != null; c = c.getParent()) {
        if (c.inArray()) {
          steps.add("[" + c.getCurrentIndex() + "]");
        } else if (c.inObject() && c.getCurrentName() != null) {
          steps.add("." + c.getCurrentName());
        }
        if (c == root) {
          break;
        }
      }
      Collections.reverse(steps);
      String path = String.join("", steps);
      return path.startsWith(".") ? path.substring(1) : path;
    }
  }
}
