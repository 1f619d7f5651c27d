package dev.knobflow.plugin.objective;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClassObjectivesTest {
  private static final ClassLoader LOADER = ClassObjectivesTest.class.getClassLoader();

  /** Not an objective. */
  public static final class NotAnObjective {}

  /** An objective without a no-arg constructor. */
  public static final class NeedsArguments implements dev.knobflow.optimizers.ObjectiveFunction {
    public NeedsArguments(int unused) {}

    @Override
    public dev.knobflow.optimizers.TrialResult evaluate(dev.knobflow.optimizers.Trial trial) {
      return dev.knobflow.optimizers.TrialResult.of(0);
    }
  }

  @Test
  void aPublicObjectiveClassIsInstantiated() {
    assertInstanceOf(
        QuadraticObjective.class, ClassObjectives.load(QuadraticObjective.class.getName(), LOADER));
  }

  @Test
  void aMissingClassPointsAtTheClasspath() {
    ObjectiveLoadException e =
        assertThrows(
            ObjectiveLoadException.class, () -> ClassObjectives.load("com.example.Nope", LOADER));
    assertTrue(e.getMessage().contains("not found"), e.getMessage());
    assertTrue(e.getMessage().contains("KNOBFLOW_CLASSPATH"), e.getMessage());
  }

  @Test
  void aClassOfTheWrongTypeSaysWhatItMustImplement() {
    ObjectiveLoadException e =
        assertThrows(
            ObjectiveLoadException.class,
            () -> ClassObjectives.load(NotAnObjective.class.getName(), LOADER));
    assertTrue(
        e.getMessage().contains("does not implement dev.knobflow.optimizers.ObjectiveFunction"),
        e.getMessage());
  }

  @Test
  void aClassWithoutNoArgConstructorSaysSo() {
    ObjectiveLoadException e =
        assertThrows(
            ObjectiveLoadException.class,
            () -> ClassObjectives.load(NeedsArguments.class.getName(), LOADER));
    assertTrue(e.getMessage().contains("public constructor without arguments"), e.getMessage());
  }
}
