package dev.knobflow.plugin.cli;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What {@code worker} and {@code resume} share: the study, its storage and how much to run. */
final class JoinOptions {

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "NAME|STUDY.yaml",
      description =
          "The study's name (with --storage), or its study file: then its name, storage (a"
              + " relative journal path against the file's directory) and tracking come from the"
              + " file, as tune used them, and its directory is the default --dir.")
  String name;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "The study file, as in NAME's place (the MLproject's worker entry point).")
  Path config;

  @Option(
      names = "--storage",
      paramLabel = "STORAGE",
      description =
          "Where the study is (wins over a study file's storage): mlflow (MLFLOW_TRACKING_URI), mlflow:<uri>, journal:<path> or"
              + " postgresql://USER[:PASSWORD]@HOST[:PORT]/DB (password also from PGPASSWORD or"
              + " ~/.pgpass).")
  String storage;

  @Mixin TrackingOptions tracking;

  @Option(
      names = "--trials",
      paramLabel = "N",
      description =
          "Run at most N trials here, raising the study's trial target to its counted trials"
              + " plus N if it is lower. Default: until the study's workers together reach the"
              + " target the last tune stored (at most the trials it still misses).")
  Integer trials;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      description = "Trials evaluated at once; default the study file's.")
  Integer parallelism;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description =
          "Directory the study file's relative paths (the command's files) resolve against and"
              + " the objective runs in; default the study file's directory when the study is"
              + " named by its file, else the working directory.")
  Path dir;
}
