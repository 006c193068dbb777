package io.statejob.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.statejob.api.validation.StateJobValidator;
import io.statejob.api.validation.ValidationResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every StateJob an API server can hold is read; what the model cannot hold is reported. */
class TolerantReadingTest {
  private static final KubernetesSerialization TOLERANT =
      new KubernetesSerialization(TolerantReading.configure(new ObjectMapper()), true);

  private static StateJob read(String specFields, String status) {
    return TOLERANT.unmarshal(
        "{\"apiVersion\":\"statejob.io/v1alpha1\",\"kind\":\"StateJob\",\"metadata\":{\"name\":"
            + "\"j\",\"namespace\":\"n\"},\"spec\":{\"job\":{\"className\":\"a.B\"},\"parallelism\":2"
            + specFields
            + "}"
            + (status.isEmpty() ? "" : ",\"status\":" + status)
            + "}",
        StateJob.class);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        ",\"checkpoints\":{\"retained\":3000000000}"
            + "|spec.checkpoints.retained: 3000000000 is out of range",
        ",\"podTemplate\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"ports\":[{\"containerPort\":"
            + "4294967296}]}]}}"
            + "|spec.podTemplate.spec.containers[0].ports[0].containerPort: 4294967296 is out of"
            + " range",
        ",\"upgradeMode\":\"blue-green\""
            + "|spec.upgradeMode: 'blue-green' is not one of [last-state, savepoint, stateless]",
        ",\"maxParallelism\":1e30|spec.maxParallelism: '1e30' is not a whole number",
        ",\"stateBackend\":[1,2]|spec.stateBackend: a list where a map belongs",
        ",\"config\":{\"a\":{\"b\":1}}|spec.config.a: a map where a string belongs",
      })
  void aValueTheModelCannotHoldIsLeftUnsetAndMakesTheSpecInvalid(String fields, String problem) {
    StateJob job = read(fields, "");

    assertThat(job.getSpec().parallelism).as("the rest is read").isEqualTo(2);
    ValidationResult validation = StateJobValidator.validate(job);
    assertThat(validation.errors()).containsExactly(problem);
  }

  @Test
  void aSpecFieldOfANewerVersionIsIgnoredWithAWarning() {
    StateJob job = read(",\"drain\":{\"deep\":[1]}", "");

    ValidationResult validation = StateJobValidator.validate(job);
    assertThat(validation.isValid()).isTrue();
    assertThat(validation.warnings())
        .containsExactly(
            "spec.drain: is not a field this operator version knows (is the CRD newer?); ignored");
  }

  @Test
  void aStatusWrittenByANewerOperatorIsReadWithoutWhatItDoesNotKnow() {
    StateJob job = read("", "{\"phase\":\"Draining\",\"drained\":{\"at\":1},\"jobId\":\"id-1\"}");

    assertThat(job.getStatus().phase).isNull();
    assertThat(job.getStatus().jobId).isEqualTo("id-1");
    assertThat(StateJobValidator.validate(job).isValid())
        .as("the operator writes the status again; it is no fault of the spec")
        .isTrue();
  }

  @Test
  void aReadableJobHasNoProblemsAndOtherTypesAreReadAsBefore() {
    assertThat(read("", "{\"phase\":\"Running\"}").readProblems()).isEmpty();
    assertThatThrownBy(
            () -> TOLERANT.unmarshal("{\"containerPort\":4294967296}", ContainerPort.class))
        .hasRootCauseInstanceOf(InvalidFormatException.class);
  }
}
