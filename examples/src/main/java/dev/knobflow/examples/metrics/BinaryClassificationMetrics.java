package dev.knobflow.examples.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Quality of predicted probabilities for a binary task with labels 0 and 1.
 *
 * @param accuracy the share of rows whose probability falls on the right side of 0.5
 * @param logLoss the mean negative log-likelihood, probabilities clipped to [1e-15, 1 - 1e-15]
 * @param auc the area under the ROC curve (ties count one half); NaN when only one class is present
 */
public record BinaryClassificationMetrics(double accuracy, double logLoss, double auc) {

  private static final double EPS = 1e-15;

  /**
   * Scores probabilities of class 1 against labels.
   *
   * @throws IllegalArgumentException if the lengths differ, a label is not 0 or 1, or there are no
   *     rows
   */
  public static BinaryClassificationMetrics of(float[] probabilities, float[] labels) {
    if (probabilities.length != labels.length) {
      throw new IllegalArgumentException(
          probabilities.length
              + " probabilities for "
              + labels.length
              + " labels; they must match");
    }
    if (labels.length == 0) {
      throw new IllegalArgumentException("no rows to score");
    }
    int correct = 0;
    double logLoss = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != 0f && labels[i] != 1f) {
        throw new IllegalArgumentException(
            "binary labels must be 0 or 1, but row " + i + " has " + labels[i]);
      }
      boolean positive = labels[i] == 1f;
      double p = Math.min(1 - EPS, Math.max(EPS, probabilities[i]));
      if ((probabilities[i] >= 0.5) == positive) {
        correct++;
      }
      logLoss -= positive ? Math.log(p) : Math.log(1 - p);
    }
    return new BinaryClassificationMetrics(
        (double) correct / labels.length, logLoss / labels.length, auc(probabilities, labels));
  }

  /** The Mann-Whitney statistic: the chance a random positive scores above a random negative. */
  private static double auc(float[] scores, float[] labels) {
    Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
    double positiveRankSum = 0;
    long positives = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double averageRank = (i + j) / 2.0 + 1; // ties share the mean of their 1-based ranks
      for (int k = i; k <= j; k++) {
        if (labels[order[k]] == 1f) {
          positiveRankSum += averageRank;
          positives++;
        }
      }
      i = j + 1;
    }
    long negatives = scores.length - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }
}
