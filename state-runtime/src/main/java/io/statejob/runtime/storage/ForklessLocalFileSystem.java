package io.statejob.runtime.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system, setting permissions through {@code java.nio} instead of a process.
 * Without Hadoop's native library (the runtime ships none) every file and directory it creates runs
 * {@code chmod} in a child process: a fork per checkpoint file, and a coordinator whose {@code
 * _metadata} write was seen blocked in that fork for over a minute on a loaded machine. It stays a
 * {@link LocalFileSystem}, as S3A's buffer directories require of {@code fs.file.impl}.
 */
public final class ForklessLocalFileSystem extends LocalFileSystem {
  public ForklessLocalFileSystem() {
    super(new Raw());
  }

  /** The file system itself, without the {@code .crc} files the checksummed wrapper adds. */
  static final class Raw extends RawLocalFileSystem {
    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      String symbols =
          permission.getUserAction().SYMBOL
              + permission.getGroupAction().SYMBOL
              + permission.getOtherAction().SYMBOL;
      Files.setPosixFilePermissions(
          pathToFile(p).toPath(), PosixFilePermissions.fromString(symbols));
    }
  }
}
