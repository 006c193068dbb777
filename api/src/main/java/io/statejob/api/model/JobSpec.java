package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The program a StateJob runs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobSpec {
  @JsonPropertyDescription(
      "Fully qualified name of the class implementing io.statejob.runtime.api.StateJobProgram.")
  @Required
  @Pattern(Patterns.JAVA_CLASS_NAME)
  @Size(max = 1024)
  public String className;

  @JsonPropertyDescription(
      "Jar holding the job class, e.g. local:///opt/statejob/usrlib/job.jar or file:///path."
          + " Omit when the class is on the runtime's class path.")
  @Pattern("^(local|file)://.+")
  @Size(max = 4096)
  public String jarURI;

  @JsonPropertyDescription("Arguments passed to the program, e.g. [\"--events\", \"100000\"].")
  @Size(max = 1000)
  public List<String> args;

  @JsonPropertyDescription(
      "Whether the savepoint that stops the job before an upgrade or a suspend (upgradeMode:"
          + " savepoint) first advances event time to its end, firing every event-time timer and"
          + " window, as Flink's stop --drain. For a job that ends for good, or changes its windows;"
          + " a job restored from a drained savepoint starts its windows afresh.")
  public Boolean drain;
}
