package io.statejob.operator.reconciler;

import io.statejob.api.model.StateJob;
import io.statejob.api.model.StateJobSpec;
import io.statejob.api.model.StateLayout;
import io.statejob.api.model.UpgradeMode;
import io.statejob.api.validation.ValidationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The operator's own check of what the CRD's transition rules refuse, for API servers that do not
 * evaluate them: a spec whose key groups or checkpoint location differ from those the job's state
 * was deployed with is invalid, unless the job starts over ({@code upgradeMode: stateless}). It
 * compares effective values, the operator's defaults included, so a default changed under a running
 * job is caught too.
 */
final class StateLayoutGuard {
  private StateLayoutGuard() {}

  static ValidationResult check(StateJob job, StateLayout desired, ValidationResult validation) {
    StateLayout deployed = job.getStatus() == null ? null : job.getStatus().stateLayout;
    if (deployed == null
        || !validation.isValid()
        || job.getSpec().upgradeMode == UpgradeMode.STATELESS) {
      return validation;
    }
    List<String> errors = new ArrayList<>();
    if (!Objects.equals(deployed.maxParallelism, desired.maxParallelism)) {
      errors.add(
          "spec.maxParallelism: "
              + deployed.maxParallelism
              + " -> "
              + desired.maxParallelism
              + ": "
              + StateJobSpec.MAX_PARALLELISM_IMMUTABLE);
    }
    if (deployed.checkpointsUri != null
        && !deployed.checkpointsUri.equals(desired.checkpointsUri)) {
      errors.add(
          "spec.checkpoints.uri: "
              + deployed.checkpointsUri
              + " -> "
              + desired.checkpointsUri
              + ": "
              + StateJobSpec.CHECKPOINTS_URI_IMMUTABLE);
    }
    return errors.isEmpty() ? validation : new ValidationResult(errors, validation.warnings());
  }
}
