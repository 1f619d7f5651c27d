package dev.knobflow.plugin.mlflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.StudyView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The study's trials as {@code trials.csv} (one row per trial: number, state, objective values,
 * params) and {@code trials.json}, logged with the report on the study run.
 */
final class TrialTables {

  static final String CSV = "trials.csv";
  static final String JSON = "trials.json";

  private TrialTables() {}

  static void write(StudyView study, Path dir) throws IOException {
    List<FrozenTrial> trials = study.trials();
    List<String> objectives = study.objectives().stream().map(Objective::name).toList();
    TreeSet<String> params = new TreeSet<>();
    trials.forEach(t -> params.addAll(t.params().keySet()));
    StringBuilder csv = new StringBuilder("number,state");
    objectives.forEach(o -> csv.append(',').append(cell(o)));
    params.forEach(p -> csv.append(',').append(cell(p)));
    csv.append('\n');
    List<Map<String, Object>> rows = new ArrayList<>();
    for (FrozenTrial t : trials) {
      csv.append(t.number()).append(',').append(t.state());
      for (int i = 0; i < objectives.size(); i++) {
        csv.append(',');
        if (i < t.values().size() && t.values().get(i) != null) {
          csv.append(t.values().get(i));
        }
      }
      for (String p : params) {
        csv.append(',');
        Object v = t.params().get(p);
        if (v != null) {
          csv.append(cell(String.valueOf(v)));
        }
      }
      csv.append('\n');
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("number", t.number());
      row.put("state", t.state().name());
      Map<String, Object> values = new LinkedHashMap<>();
      for (int i = 0; i < objectives.size() && i < t.values().size(); i++) {
        values.put(objectives.get(i), t.values().get(i));
      }
      row.put("values", values);
      row.put("params", t.params());
      if (t.failReason() != null) {
        row.put("fail_reason", t.failReason());
      }
      rows.add(row);
    }
    Files.writeString(dir.resolve(CSV), csv);
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(dir.resolve(JSON).toFile(), rows);
  }

  private static String cell(String text) {
    return text.contains(",") || text.contains("\"") || text.contains("\n")
        ? '"' + text.replace("\"", "\"\"") + '"'
        : text;
  }
}
