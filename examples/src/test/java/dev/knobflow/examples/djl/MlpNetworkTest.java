package dev.knobflow.examples.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MlpNetworkTest {

  private static final MlpParams SGD = new MlpParams(0.3, 2, 16, 16, "sgd");

  /** Two noisy blobs in 4 dimensions: quick to train, hard to get exactly right. */
  private static MlpNetwork.Data blobs(int rows, long seed) {
    Random random = new Random(seed);
    float[] x = new float[rows * 4];
    float[] y = new float[rows];
    for (int r = 0; r < rows; r++) {
      int label = r % 2;
      y[r] = label;
      for (int c = 0; c < 4; c++) {
        x[r * 4 + c] = (float) (random.nextGaussian() + (label == 0 ? -0.5 : 0.5));
      }
    }
    return new MlpNetwork.Data(x, y, rows);
  }

  @Test
  void continuingPlainSgdFromACheckpointEqualsTrainingStraightThrough() throws IOException {
    MlpNetwork.Data data = blobs(200, 1);
    MlpCheckpoint straight;
    try (MlpNetwork net = MlpNetwork.create(SGD, 4, 2, 7)) {
      for (int epoch = 1; epoch <= 3; epoch++) {
        net.trainEpoch(data, epoch, 7);
      }
      straight = net.checkpoint(3);
    }
    byte[] saved;
    try (MlpNetwork net = MlpNetwork.create(SGD, 4, 2, 7)) {
      net.trainEpoch(data, 1, 7);
      saved = net.checkpoint(1).toBytes();
    }
    MlpCheckpoint resumed;
    try (MlpNetwork net = MlpNetwork.resume(SGD, 4, 2, MlpCheckpoint.fromBytes(saved))) {
      net.trainEpoch(data, 2, 7);
      net.trainEpoch(data, 3, 7);
      resumed = net.checkpoint(3);
    }
    assertEquals(straight.values().size(), resumed.values().size());
    for (int p = 0; p < straight.values().size(); p++) {
      assertArrayEquals(straight.values().get(p), resumed.values().get(p), "parameter " + p);
    }
  }

  @Test
  void differentSeedsStartFromDifferentWeights() {
    try (MlpNetwork a = MlpNetwork.create(SGD, 4, 2, 1);
        MlpNetwork b = MlpNetwork.create(SGD, 4, 2, 2)) {
      float[] wa = a.checkpoint(1).values().get(0);
      float[] wb = b.checkpoint(1).values().get(0);
      assertEquals(wa.length, wb.length);
      assertTrue(!java.util.Arrays.equals(wa, wb));
      // He-uniform bound for 4 inputs: sqrt(6/4).
      for (float w : wa) {
        assertTrue(Math.abs(w) <= Math.sqrt(1.5), "weight " + w);
      }
    }
  }

  @Test
  void aCheckpointRoundTripsThroughItsBytes() throws IOException {
    MlpCheckpoint c =
        new MlpCheckpoint(
            5,
            List.of(new long[] {2, 3}, new long[] {2}),
            List.of(new float[6], new float[] {1, 2}));
    MlpCheckpoint back = MlpCheckpoint.fromBytes(c.toBytes());
    assertEquals(5, back.epochs());
    assertArrayEquals(new long[] {2, 3}, back.shapes().get(0));
    assertArrayEquals(new float[] {1, 2}, back.values().get(1));
    IOException e =
        assertThrows(IOException.class, () -> MlpCheckpoint.fromBytes(new byte[] {1, 2, 3, 4}));
    assertTrue(e.getMessage().contains("not an MLP checkpoint"), e.getMessage());
  }

  @Test
  void aCheckpointOfAnotherArchitectureIsRefusedNamingTheShapes() {
    MlpCheckpoint small;
    try (MlpNetwork net = MlpNetwork.create(SGD, 4, 2, 7)) {
      small = net.checkpoint(1);
    }
    MlpParams wider = new MlpParams(0.3, 2, 32, 16, "sgd");
    RuntimeException e =
        assertThrows(RuntimeException.class, () -> MlpNetwork.resume(wider, 4, 2, small).close());
    assertTrue(String.valueOf(e.getMessage()).contains("does not fit"), e.toString());
  }
}
