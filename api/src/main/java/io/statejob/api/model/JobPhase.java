package io.statejob.api.model;

/** Lifecycle phase of a StateJob. */
public enum JobPhase {
  Pending,
  Deploying,
  Running,
  Recovering,
  Upgrading,
  Suspended,
  /** A bounded job whose sources ended and whose final checkpoint completed. */
  Finished,
  Failed
}
