package io.statejob.runtime.storage;

import io.statejob.runtime.snapshot.DamagedSnapshotException;
import java.util.Locale;

/** The one comparison of a recorded checksum with the bytes read. */
public final class Checksums {
  private Checksums() {}

  /**
   * @param file what the message names
   * @param recorded the CRC32C in the metadata; null when the snapshot predates checksums
   * @param actual the CRC32C of the bytes read
   * @param what the part of the file checked, for the message
   * @throws DamagedSnapshotException when they differ
   */
  public static void verify(String file, Long recorded, long actual, String what)
      throws DamagedSnapshotException {
    if (recorded != null && recorded != actual) {
      throw new DamagedSnapshotException(
          file,
          String.format(
              Locale.ROOT,
              "%s fails its checksum (CRC32C %08x recorded, %08x read): the file is damaged",
              what,
              recorded,
              actual));
    }
  }
}
