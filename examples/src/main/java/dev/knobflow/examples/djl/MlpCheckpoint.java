package dev.knobflow.examples.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A trained network's weights and how many epochs produced them: what a trial saves so that a
 * promoted continuation trains only the missing epochs. Encoded as a small binary format (epochs,
 * then each parameter's shape and float values, in block order). The optimizer's own state (Adam's
 * moment estimates) is not kept: a continued Adam run restarts its moments; plain SGD has none, so
 * a continued SGD run equals an uninterrupted one.
 *
 * @param epochs epochs trained so far, at least 1
 * @param shapes each parameter's shape, in block order
 * @param values each parameter's values, row-major
 */
record MlpCheckpoint(int epochs, List<long[]> shapes, List<float[]> values) {

  private static final int MAGIC = 0x4b464d4c; // "KFML"

  MlpCheckpoint {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
    }
    if (shapes.size() != values.size()) {
      throw new IllegalArgumentException(
          shapes.size() + " shapes but " + values.size() + " value arrays");
    }
    shapes = List.copyOf(shapes);
    values = List.copyOf(values);
  }

  /** The encoded form. */
  byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(epochs);
      out.writeInt(shapes.size());
      for (int p = 0; p < shapes.size(); p++) {
        long[] shape = shapes.get(p);
        out.writeInt(shape.length);
        for (long d : shape) {
          out.writeLong(d);
        }
        float[] v = values.get(p);
        out.writeInt(v.length);
        for (float f : v) {
          out.writeFloat(f);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the checkpoint: " + e, e);
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes {@link #toBytes()}.
   *
   * @throws IOException if the bytes are not a checkpoint of this format
   */
  static MlpCheckpoint fromBytes(byte[] bytes) throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      if (in.readInt() != MAGIC) {
        throw new IOException("not an MLP checkpoint (wrong header)");
      }
      int epochs = in.readInt();
      int count = in.readInt();
      List<long[]> shapes = new ArrayList<>();
      List<float[]> values = new ArrayList<>();
      for (int p = 0; p < count; p++) {
        long[] shape = new long[in.readInt()];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = in.readLong();
        }
        float[] v = new float[in.readInt()];
        for (int i = 0; i < v.length; i++) {
          v[i] = in.readFloat();
        }
        shapes.add(shape);
        values.add(v);
      }
      return new MlpCheckpoint(epochs, shapes, values);
    } catch (IllegalArgumentException e) {
      throw new IOException("malformed MLP checkpoint: " + e.getMessage(), e);
    }
  }

  /**
   * An initializer that hands out these values in order, checking each requested shape, so a
   * network built with the same architecture starts from them.
   */
  Initializer initializer() {
    return new Initializer() {
      private int next;

      @Override
      public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        if (next >= shapes.size() || !Arrays.equals(shapes.get(next), shape.getShape())) {
          throw new IllegalStateException(
              "the checkpoint does not fit this network: parameter "
                  + next
                  + " has shape "
                  + shape
                  + ", the checkpoint "
                  + (next < shapes.size() ? new Shape(shapes.get(next)) : "has no more"));
        }
        float[] v = values.get(next);
        long[] s = shapes.get(next);
        next++;
        return manager.create(v, new Shape(s)).toType(dataType, false);
      }
    };
  }
}
