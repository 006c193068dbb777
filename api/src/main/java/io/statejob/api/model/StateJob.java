package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;

/** A stateful stream job: its program, parallelism, state backend and checkpoints. */
@Group(StateJob.GROUP)
@Version(StateJob.VERSION)
@ShortNames("sj")
@AdditionalPrinterColumn(name = "Backend", jsonPath = ".spec.stateBackend.type")
@AdditionalPrinterColumn(
    name = "Parallelism",
    jsonPath = ".spec.parallelism",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(
    name = "Last Checkpoint",
    jsonPath = ".status.checkpoints.latest.id",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class StateJob extends CustomResource<StateJobSpec, StateJobStatus> implements Namespaced {
  public static final String GROUP = "statejob.io";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  @JsonIgnore private List<ReadProblem> readProblems = List.of();

  /** What {@link TolerantReading} could not read of this object and left unset. */
  @JsonIgnore
  public List<ReadProblem> readProblems() {
    return readProblems;
  }

  /** Kept apart from the document: a copy made through JSON must carry them over. */
  @JsonIgnore
  public void setReadProblems(List<ReadProblem> problems) {
    this.readProblems = problems;
  }

  /**
   * The id under which this job's checkpoints are stored: {@code status.jobId} when the operator
   * assigned one, else the name, qualified by the namespace when one is set.
   */
  public String checkpointJobId() {
    if (getStatus() != null && getStatus().jobId != null && !getStatus().jobId.isBlank()) {
      return getStatus().jobId;
    }
    String name = getMetadata() == null ? null : getMetadata().getName();
    String namespace = getMetadata() == null ? null : getMetadata().getNamespace();
    return namespace == null || namespace.isBlank() ? name : namespace + "/" + name;
  }
}
