package dev.knobflow.plugin.cli;

import dev.knobflow.plugin.warmstart.MetaFeatureSet;
import dev.knobflow.plugin.warmstart.MetaFeatureTags;
import dev.knobflow.plugin.warmstart.MetaFeatures;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code knobflow meta-features data.csv --target COL}: prints a dataset's meta-features. */
@Command(
    name = "meta-features",
    mixinStandardHelpOptions = true,
    description = {
      "Print the meta-features of a CSV dataset: what warm start compares to find similar past"
          + " studies, and what a study file's dataset: section tags on its MLflow run."
    })
final class MetaFeaturesCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "DATA.csv",
      description = "The dataset (CSV with a header).")
  Path csv;

  @Option(
      names = "--target",
      required = true,
      paramLabel = "COLUMN",
      description = "The label column.")
  String target;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table (default) or tags (knobflow.meta.<name>=<value>, as on MLflow runs).")
  String format;

  @Override
  public Integer call() {
    if (!format.equals("table") && !format.equals("tags")) {
      throw new BadInputException("--format must be table or tags, got '" + format + "'");
    }
    if (!Files.isRegularFile(csv)) {
      throw new BadInputException("DATA.csv: no such file: " + csv);
    }
    MetaFeatureSet features;
    try {
      features = MetaFeatures.defaults().fromCsv(csv, target);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (format.equals("table")) {
      out.print(features.toPrintableTable());
    } else {
      for (Map.Entry<String, String> e : MetaFeatureTags.encode(features.asMap()).entrySet()) {
        out.println(e.getKey() + "=" + e.getValue());
      }
    }
    out.flush();
    return 0;
  }
}
