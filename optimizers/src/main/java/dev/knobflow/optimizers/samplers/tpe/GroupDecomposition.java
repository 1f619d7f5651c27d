package dev.knobflow.optimizers.samplers.tpe;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.distributions.Distribution;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Splits a conditional space into groups of parameters that always occur together: each trial's
 * parameter set cuts every existing group into its part inside and outside the set. Parameters
 * whose distribution changed between trials are left out.
 */
public final class GroupDecomposition {

  private GroupDecomposition() {}

  /** The groups (names sorted within a group) over {@code trials}' parameters. */
  public static List<Map<String, Distribution>> of(List<FrozenTrial> trials) {
    Map<String, Distribution> distributions = new LinkedHashMap<>();
    Set<String> inconsistent = new LinkedHashSet<>();
    for (FrozenTrial t : trials) {
      for (Map.Entry<String, Distribution> e : t.distributions().entrySet()) {
        Distribution known = distributions.putIfAbsent(e.getKey(), e.getValue());
        if (known != null && !known.equals(e.getValue())) {
          inconsistent.add(e.getKey());
        }
      }
    }
    List<Set<String>> groups = new ArrayList<>();
    for (FrozenTrial t : trials) {
      Set<String> keys = new TreeSet<>(t.distributions().keySet());
      keys.removeAll(inconsistent);
      if (keys.isEmpty()) {
        continue;
      }
      List<Set<String>> next = new ArrayList<>();
      Set<String> remaining = new TreeSet<>(keys);
      for (Set<String> g : groups) {
        Set<String> inside = new TreeSet<>(g);
        inside.retainAll(keys);
        Set<String> outside = new TreeSet<>(g);
        outside.removeAll(keys);
        if (!inside.isEmpty()) {
          next.add(inside);
        }
        if (!outside.isEmpty()) {
          next.add(outside);
        }
        remaining.removeAll(g);
      }
      if (!remaining.isEmpty()) {
        next.add(remaining);
      }
      groups = next;
    }
    List<Map<String, Distribution>> result = new ArrayList<>();
    for (Set<String> g : groups) {
      Map<String, Distribution> group = new LinkedHashMap<>();
      for (String name : g) {
        group.put(name, distributions.get(name));
      }
      result.add(group);
    }
    return result;
  }
}
