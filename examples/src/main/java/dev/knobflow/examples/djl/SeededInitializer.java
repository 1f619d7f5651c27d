package dev.knobflow.examples.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.util.Random;

/**
 * He-uniform weights and zero biases drawn from this object's own seeded generator, so a network's
 * initial weights depend on the seed alone, never on the engine's global random state (which
 * parallel trials would share). Weight matrices ({@code (out, in)}) get {@code U(-b, b)} with
 * {@code b = sqrt(6 / in)}; vectors are zero. Parameters must be asked for in a fixed order (DJL
 * initialises a sequential block's parameters in block order). Not thread-safe: one per network.
 */
final class SeededInitializer implements Initializer {

  private final Random random;

  SeededInitializer(long seed) {
    this.random = new Random(seed);
  }

  @Override
  public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
    float[] values = new float[Math.toIntExact(shape.size())];
    if (shape.dimension() >= 2) {
      long fanIn = shape.size() / shape.get(0);
      double bound = Math.sqrt(6.0 / fanIn);
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
      }
    }
    return manager.create(values, shape).toType(dataType, false);
  }
}
