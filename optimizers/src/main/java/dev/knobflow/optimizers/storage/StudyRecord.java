package dev.knobflow.optimizers.storage;

import dev.knobflow.optimizers.Objective;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A study as stored.
 *
 * @param name the unique study name
 * @param objectives the objectives in order
 * @param attrs study attributes (sampler, seed, dataset meta-features...)
 * @param created when the study was created
 */
public record StudyRecord(
    String name, List<Objective> objectives, Map<String, Object> attrs, Instant created) {

  public StudyRecord {
    objectives = List.copyOf(objectives);
    attrs = Collections.unmodifiableMap(new LinkedHashMap<>(attrs));
  }
}
