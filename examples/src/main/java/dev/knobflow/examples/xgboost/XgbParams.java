package dev.knobflow.examples.xgboost;

import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import dev.knobflow.optimizers.distributions.SearchSpace;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The six XGBoost hyperparameters the example tunes, and where each is searched.
 *
 * @param eta learning rate, 0.01 to 0.3, log scale
 * @param maxDepth tree depth, 2 to 10
 * @param subsample row share per tree, 0.5 to 1
 * @param colsampleBytree column share per tree, 0.5 to 1
 * @param minChildWeight least hessian sum in a leaf, 1 to 10
 * @param lambda L2 regularisation of leaf weights, 0.001 to 10, log scale
 */
public record XgbParams(
    double eta,
    int maxDepth,
    double subsample,
    double colsampleBytree,
    double minChildWeight,
    double lambda) {

  /** Learning rate. */
  public static final FloatDistribution ETA = new FloatDistribution(0.01, 0.3, true, 0);

  /** Maximum tree depth. */
  public static final IntDistribution MAX_DEPTH = new IntDistribution(2, 10, false, 1);

  /** Row subsampling per tree. */
  public static final FloatDistribution SUBSAMPLE = new FloatDistribution(0.5, 1.0, false, 0);

  /** Column subsampling per tree. */
  public static final FloatDistribution COLSAMPLE_BYTREE =
      new FloatDistribution(0.5, 1.0, false, 0);

  /** Minimum child weight. */
  public static final FloatDistribution MIN_CHILD_WEIGHT =
      new FloatDistribution(1.0, 10.0, false, 0);

  /** L2 regularisation. */
  public static final FloatDistribution LAMBDA = new FloatDistribution(1e-3, 10.0, true, 0);

  /**
   * The same space declared up front, for studies that prefer a declared {@code space}: a trial
   * that suggests with these distributions gets the declared values.
   */
  public static SearchSpace searchSpace() {
    return SearchSpace.builder()
        .add("eta", ETA)
        .add("max_depth", MAX_DEPTH)
        .add("subsample", SUBSAMPLE)
        .add("colsample_bytree", COLSAMPLE_BYTREE)
        .add("min_child_weight", MIN_CHILD_WEIGHT)
        .add("lambda", LAMBDA)
        .build();
  }

  /** Suggests the six parameters define-by-run. */
  public static XgbParams suggest(Trial trial) {
    return new XgbParams(
        trial.suggestFloat("eta", ETA),
        (int) trial.suggestLong("max_depth", MAX_DEPTH),
        trial.suggestFloat("subsample", SUBSAMPLE),
        trial.suggestFloat("colsample_bytree", COLSAMPLE_BYTREE),
        trial.suggestFloat("min_child_weight", MIN_CHILD_WEIGHT),
        trial.suggestFloat("lambda", LAMBDA));
  }

  /**
   * XGBoost's parameter map for binary classification: these values plus single-threaded, seeded,
   * silent training with the histogram tree method.
   */
  public Map<String, Object> boosterParams(long seed) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("objective", "binary:logistic");
    p.put("tree_method", "hist");
    p.put("eta", eta);
    p.put("max_depth", maxDepth);
    p.put("subsample", subsample);
    p.put("colsample_bytree", colsampleBytree);
    p.put("min_child_weight", minChildWeight);
    p.put("lambda", lambda);
    // One thread: results and latencies do not depend on the machine's core count or load.
    p.put("nthread", 1);
    p.put("seed", seed);
    p.put("verbosity", 0);
    return p;
  }
}
