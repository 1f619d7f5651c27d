package dev.knobflow.examples.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MlpSegmentTrainerTest {

  private static MlpSegmentTrainer trainer;

  @BeforeAll
  static void digits() {
    trainer = new MlpSegmentTrainer(MlpConfig.defaults(), 1, 32, 32);
  }

  @Test
  void continuingFromASavedCheckpointEqualsTrainingStraightThrough() throws Exception {
    MlpSegmentTrainer.Segment straight = trainer.train(Optional.empty(), 4, 0.2, 1e-3, 3);
    MlpSegmentTrainer.Segment first = trainer.train(Optional.empty(), 2, 0.2, 1e-3, 3);
    MlpSegmentTrainer.Segment second =
        trainer.train(Optional.of(first.checkpoint()), 4, 0.2, 1e-3, 3);

    assertEquals(2, first.epochsTrained());
    assertEquals(2, second.epochsTrained());
    assertEquals(4, second.epochs());
    // Plain SGD keeps no state beyond the weights, and batch order is seeded per epoch: exact.
    assertArrayEquals(straight.checkpoint(), second.checkpoint());
    assertEquals(straight.accuracy(), second.accuracy());
    assertEquals(straight.trainLoss(), second.trainLoss());
  }

  @Test
  void theScheduleTakesEffectBetweenSegments() throws Exception {
    MlpSegmentTrainer.Segment first = trainer.train(Optional.empty(), 1, 0.2, 1e-4, 5);
    byte[] kept = trainer.train(Optional.of(first.checkpoint()), 2, 0.2, 1e-4, 5).checkpoint();
    byte[] fasterRate =
        trainer.train(Optional.of(first.checkpoint()), 2, 0.5, 1e-4, 5).checkpoint();
    byte[] moreDecay = trainer.train(Optional.of(first.checkpoint()), 2, 0.2, 0.1, 5).checkpoint();

    assertFalse(Arrays.equals(kept, fasterRate), "the new learning rate was ignored");
    assertFalse(Arrays.equals(kept, moreDecay), "the new weight decay was ignored");
  }

  @Test
  void segmentsTrainingOnTwoThreadsGiveWhatTheyGiveAlone() throws Exception {
    MlpSegmentTrainer.Segment aloneA = trainer.train(Optional.empty(), 2, 0.2, 1e-3, 8);
    MlpSegmentTrainer.Segment aloneB = trainer.train(Optional.empty(), 2, 0.05, 1e-2, 9);

    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<MlpSegmentTrainer.Segment> a =
          pool.submit(() -> trainer.train(Optional.empty(), 2, 0.2, 1e-3, 8));
      Future<MlpSegmentTrainer.Segment> b =
          pool.submit(() -> trainer.train(Optional.empty(), 2, 0.05, 1e-2, 9));
      // DJL's PyTorch engine has one gradient collector per process: without taking turns, one of
      // the two fails with "A PtGradientCollector is already collecting".
      assertArrayEquals(aloneA.checkpoint(), a.get().checkpoint());
      assertArrayEquals(aloneB.checkpoint(), b.get().checkpoint());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aGoodRateLearnsTheDigits() throws Exception {
    MlpSegmentTrainer.Segment s = trainer.train(Optional.empty(), 5, 0.3, 1e-4, 1);

    assertTrue(s.accuracy() > 0.85, "held-out accuracy " + s.accuracy());
    assertEquals(451, trainer.validRows(), "a 25 % stratified hold-out of 1,797 digits");
  }

  @Test
  void aSegmentEndingBeforeItsCheckpointIsRefusedNamingTheEpochs() throws Exception {
    byte[] three = trainer.train(Optional.empty(), 3, 0.2, 0, 1).checkpoint();

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> trainer.train(Optional.of(three), 2, 0.2, 0, 1));
    assertTrue(e.getMessage().contains("checkpoint's 3 epochs, got 2"), e.getMessage());
    IllegalArgumentException decay =
        assertThrows(
            IllegalArgumentException.class, () -> trainer.train(Optional.empty(), 1, 0.2, -1, 1));
    assertTrue(decay.getMessage().contains("weight_decay"), decay.getMessage());
  }
}
