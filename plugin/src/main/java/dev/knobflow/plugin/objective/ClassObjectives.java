package dev.knobflow.plugin.objective;

import dev.knobflow.optimizers.ObjectiveFunction;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;

/**
 * Loads a class objective: a class implementing {@link ObjectiveFunction} with a public no-arg
 * constructor, found on the classpath (the {@code knobflow} launcher adds {@code
 * $KNOBFLOW_CLASSPATH}).
 */
public final class ClassObjectives {

  private ClassObjectives() {}

  /**
   * Creates an instance of {@code className} with the given class loader.
   *
   * @throws ObjectiveLoadException saying what is wrong and how to fix it
   */
  public static ObjectiveFunction load(String className, ClassLoader loader) {
    Class<?> type;
    try {
      type = Class.forName(className, true, loader);
    } catch (ClassNotFoundException | NoClassDefFoundError e) {
      throw new ObjectiveLoadException(
          "class '"
              + className
              + "' was not found on the classpath; put the jar that holds it on KNOBFLOW_CLASSPATH"
              + " (the knobflow launcher adds it) or on the Java classpath",
          e);
    } catch (ExceptionInInitializerError e) {
      throw new ObjectiveLoadException(
          "class '" + className + "' failed to initialise: " + e.getCause(), e);
    }
    if (!ObjectiveFunction.class.isAssignableFrom(type)) {
      throw new ObjectiveLoadException(
          "class '"
              + className
              + "' does not implement "
              + ObjectiveFunction.class.getName()
              + " (TrialResult evaluate(Trial trial))",
          null);
    }
    if (Modifier.isAbstract(type.getModifiers())) {
      throw new ObjectiveLoadException(
          "class '" + className + "' is abstract or an interface; name a concrete class", null);
    }
    try {
      return (ObjectiveFunction) type.getConstructor().newInstance();
    } catch (NoSuchMethodException | IllegalAccessException e) {
      throw new ObjectiveLoadException(
          "class '"
              + className
              + "' needs a public constructor without arguments (and must itself be public)",
          e);
    } catch (InvocationTargetException e) {
      throw new ObjectiveLoadException(
          "the constructor of '" + className + "' failed: " + e.getCause(), e.getCause());
    } catch (InstantiationException e) {
      throw new ObjectiveLoadException("class '" + className + "' cannot be instantiated", e);
    }
  }
}
