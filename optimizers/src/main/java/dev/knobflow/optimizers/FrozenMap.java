package dev.knobflow.optimizers;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An unmodifiable, insertion-ordered copy that {@link FrozenTrial} made itself, so that a later
 * snapshot built from an earlier one's maps (a storage re-snapshotting a trial after one field
 * changed, a running trial's view) shares them instead of copying them again. Nobody else holds the
 * copy it wraps, so it never changes.
 */
final class FrozenMap<K, V> extends AbstractMap<K, V> {

  // The class of Collections.singletonMap: immutable whoever made it.
  private static final Class<?> SINGLETON = Collections.singletonMap("", "").getClass();

  private final LinkedHashMap<K, V> copy;
  // Whether the values are deeply frozen too (attribute maps), not only the map itself.
  private final boolean deep;
  private Set<Entry<K, V>> entries;

  private FrozenMap(LinkedHashMap<K, V> copy, boolean deep) {
    this.copy = copy;
    this.deep = deep;
  }

  /**
   * A frozen copy of {@code map} (a singleton map for one entry); {@code map} itself when it
   * already is one.
   */
  static <K, V> Map<K, V> of(Map<K, V> map) {
    if (map.isEmpty()) {
      return Map.of();
    }
    if (map instanceof FrozenMap<K, V> || map.getClass() == SINGLETON) {
      return map;
    }
    if (map.size() == 1) {
      Entry<K, V> only = map.entrySet().iterator().next();
      return Collections.singletonMap(only.getKey(), only.getValue());
    }
    return new FrozenMap<>(new LinkedHashMap<>(map), false);
  }

  /** Whether {@code value} is a frozen map whose values are deeply frozen as well. */
  static boolean isDeeplyFrozen(Object value) {
    return value instanceof FrozenMap<?, ?> f && f.deep;
  }

  /** Wraps a copy the caller made and deeply froze; the caller must not keep it. */
  static <K, V> Map<K, V> ofDeepCopy(LinkedHashMap<K, V> copy) {
    return new FrozenMap<>(copy, true);
  }

  @Override
  public Set<Entry<K, V>> entrySet() {
    if (entries == null) {
      entries = Collections.unmodifiableMap(copy).entrySet();
    }
    return entries;
  }

  @Override
  public V get(Object key) {
    return copy.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return copy.containsKey(key);
  }

  @Override
  public int size() {
    return copy.size();
  }
}
