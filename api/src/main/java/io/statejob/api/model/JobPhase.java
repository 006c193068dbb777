package io.statejob.api.model;

/** Lifecycle phase of a StateJob. */
public enum JobPhase {
  Pending,
  Deploying,
  Running,
  Recovering,
  Upgrading,
  Suspended,
  Failed
}
