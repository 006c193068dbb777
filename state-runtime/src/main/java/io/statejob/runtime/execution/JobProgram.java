package io.statejob.runtime.execution;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.api.JobParameters;
import io.statejob.runtime.api.Pipeline;
import io.statejob.runtime.api.StateJobProgram;
import io.statejob.runtime.api.StreamEnvironment;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A job's program class, loaded once, built into a fresh pipeline for every worker. */
public final class JobProgram {
  private final Class<? extends StateJobProgram> programClass;
  private final JobParameters parameters;
  private final ClassLoader classLoader;

  private JobProgram(
      Class<? extends StateJobProgram> programClass,
      JobParameters parameters,
      ClassLoader classLoader) {
    this.programClass = programClass;
    this.parameters = parameters;
    this.classLoader = classLoader;
  }

  /**
   * Loads {@code className}, from {@code jarUri} ({@code local://} or {@code file://}) when given.
   *
   * @throws ProgramNotFoundException with a message naming what is wrong
   */
  public static JobProgram load(String className, Optional<String> jarUri, List<String> args)
      throws IOException {
    ClassLoader parent = JobProgram.class.getClassLoader();
    ClassLoader loader = jarUri.isPresent() ? jarClassLoader(jarUri.get(), parent) : parent;
    Class<?> loaded;
    try {
      loaded = Class.forName(className, true, loader);
    } catch (ClassNotFoundException e) {
      throw new ProgramNotFoundException(
          "spec.job.className: class "
              + className
              + " not found"
              + jarUri.map(j -> " in " + j).orElse(" on the runtime's class path"));
    }
    if (!StateJobProgram.class.isAssignableFrom(loaded)) {
      throw new ProgramNotFoundException(
          "spec.job.className: " + className + " does not implement StateJobProgram");
    }
    return new JobProgram(
        loaded.asSubclass(StateJobProgram.class),
        JobParameters.fromArgs(args == null ? List.of() : args),
        loader);
  }

  private static ClassLoader jarClassLoader(String jarUri, ClassLoader parent)
      throws MalformedURLException {
    URI uri = URI.create(jarUri);
    boolean fileScheme = "local".equals(uri.getScheme()) || "file".equals(uri.getScheme());
    Path path =
        !fileScheme
            ? Path.of(jarUri)
            // file://./dir/job.jar: relative to the working directory, as checkpoint URIs are
            : ".".equals(uri.getAuthority())
                ? Path.of("." + uri.getPath())
                : Path.of(uri.getPath());
    if (!Files.isRegularFile(path)) {
      throw new ProgramNotFoundException("spec.job.jarURI: " + jarUri + " is not a file");
    }
    return new URLClassLoader(new URL[] {path.toUri().toURL()}, parent);
  }

  /** Runs the program on a new environment: a new set of function instances. */
  public StreamEnvironment build(RuntimeConfig config) throws Exception {
    StateJobProgram program = programClass.getDeclaredConstructor().newInstance();
    StreamEnvironment env = new StreamEnvironment(parameters, config);
    program.build(env);
    return env;
  }

  public Pipeline buildPipeline(RuntimeConfig config) throws Exception {
    return build(config).pipeline();
  }

  public ClassLoader classLoader() {
    return classLoader;
  }

  public String name() {
    return programClass.getName();
  }
}
