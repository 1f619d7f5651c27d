package dev.knobflow.optimizers.samplers.nsga2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import io.jenetics.DoubleGene;
import io.jenetics.Genotype;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpaceEncodingTest {

  private static final Map<String, Distribution> SPACE = new LinkedHashMap<>();

  static {
    SPACE.put("lr", FloatDistribution.logOf(1e-5, 1.0));
    SPACE.put("depth", IntDistribution.of(1, 12));
    SPACE.put("leaves", IntDistribution.logOf(2, 1024));
    SPACE.put("booster", CategoricalDistribution.of("gbtree", "dart", "linear"));
    SPACE.put("x", FloatDistribution.of(-3, 7));
  }

  @Test
  void valuesRoundTripThroughGenes() {
    SpaceEncoding encoding = SpaceEncoding.of(SPACE);
    SplittableRandom random = new SplittableRandom(1);
    for (Map<String, Object> params :
        java.util.List.of(
            Map.<String, Object>of(
                "lr", 3e-4, "depth", 7L, "leaves", 300L, "booster", "dart", "x", -2.5),
            Map.<String, Object>of(
                "lr", 1e-5, "depth", 1L, "leaves", 2L, "booster", "gbtree", "x", 7.0),
            Map.<String, Object>of(
                "lr", 1.0, "depth", 12L, "leaves", 1024L, "booster", "linear", "x", 0.0))) {
      Map<String, Object> decoded =
          encoding.decode(encoding.numeric(params, random), encoding.categorical(params, random));
      assertEquals((double) params.get("lr"), (double) decoded.get("lr"), 1e-12);
      assertEquals((double) params.get("x"), (double) decoded.get("x"), 1e-12);
      assertEquals(
          ((Number) params.get("depth")).longValue(), ((Number) decoded.get("depth")).longValue());
      assertEquals(
          ((Number) params.get("leaves")).longValue(),
          ((Number) decoded.get("leaves")).longValue());
      assertEquals(params.get("booster"), decoded.get("booster"));
    }
  }

  @Test
  void logFloatsAreEncodedInLogScale() {
    SpaceEncoding encoding = SpaceEncoding.of(Map.of("lr", FloatDistribution.logOf(1e-4, 1.0)));
    Genotype<DoubleGene> genes =
        encoding.numeric(Map.of("lr", 1e-2), new SplittableRandom(1)).orElseThrow();
    // 1e-2 is halfway between 1e-4 and 1 in log scale.
    assertEquals(0.5, genes.chromosome().get(0).doubleValue(), 1e-12);
  }

  @Test
  void categoricalsGetTheirOwnIndexGenotypeAndNumbersStayOutOfIt() {
    SpaceEncoding encoding = SpaceEncoding.of(SPACE);
    Map<String, Object> params =
        Map.of("lr", 0.1, "depth", 3L, "leaves", 8L, "booster", "linear", "x", 1.0);
    SplittableRandom random = new SplittableRandom(1);
    assertEquals(4, encoding.numeric(params, random).orElseThrow().chromosome().length());
    var categorical = encoding.categorical(params, random).orElseThrow();
    assertEquals(1, categorical.chromosome().length());
    assertEquals(2, categorical.chromosome().get(0).intValue());
    assertEquals(5, encoding.size());
  }

  @Test
  void missingOrForeignValuesGetRandomGenesInsideTheSpace() {
    SpaceEncoding encoding = SpaceEncoding.of(SPACE);
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 200; i++) {
      Map<String, Object> decoded =
          encoding.decode(
              encoding.numeric(Map.of("x", 99.0), random),
              encoding.categorical(Map.of("booster", "unknown"), random));
      for (Map.Entry<String, Distribution> e : SPACE.entrySet()) {
        assertTrue(
            e.getValue().contains(decoded.get(e.getKey())),
            e.getKey() + "=" + decoded.get(e.getKey()));
      }
    }
  }

  @Test
  void aSpaceWithoutCategoricalsHasNoCategoricalGenotype() {
    SpaceEncoding encoding = SpaceEncoding.of(Map.of("x", FloatDistribution.of(0, 1)));
    assertTrue(encoding.categorical(Map.of(), new SplittableRandom(1)).isEmpty());
    assertTrue(encoding.numeric(Map.of(), new SplittableRandom(1)).isPresent());
  }
}
