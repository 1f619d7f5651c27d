package dev.knobflow.plugin.warmstart;

import java.util.List;

/**
 * A past study with its meta-feature distance to the current dataset.
 *
 * @param study the past study
 * @param distance root mean square of the normalised differences (0 = identical meta-features)
 * @param sharedFeatures meta-features both datasets have
 * @param unmatchedFeatures meta-features only one of them has, each counted with the penalty
 */
public record RankedStudy(
    PastStudy study, double distance, List<String> sharedFeatures, List<String> unmatchedFeatures) {

  public RankedStudy {
    sharedFeatures = List.copyOf(sharedFeatures);
    unmatchedFeatures = List.copyOf(unmatchedFeatures);
  }
}
