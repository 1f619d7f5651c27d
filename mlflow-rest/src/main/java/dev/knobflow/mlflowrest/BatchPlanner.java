package dev.knobflow.mlflowrest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Splits one run's writes, in order, into {@code log-batch} requests within {@link MlflowLimits},
 * with run terminations as barriers between them.
 *
 * <p>Within one request a repeated tag keeps its last value (what MLflow would end with), a
 * repeated param with the same value is sent once, and a repeated param with another value starts a
 * new request so that MLflow can reject just that change.
 */
final class BatchPlanner {

  /** One request to send. */
  sealed interface Step {}

  /** A {@code log-batch} request. */
  record Batch(
      List<PendingWrite.Metric> metrics,
      List<PendingWrite.Param> params,
      List<PendingWrite.Tag> tags)
      implements Step {

    int size() {
      return metrics.size() + params.size() + tags.size();
    }
  }

  /** An {@code update-run} request ending the run. */
  record End(PendingWrite.Terminate terminate) implements Step {}

  private final MlflowLimits limits;

  BatchPlanner(MlflowLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** Plans the requests for {@code writes}, which must all belong to one run. */
  List<Step> plan(List<PendingWrite> writes) {
    List<Step> steps = new ArrayList<>();
    Builder current = new Builder();
    for (PendingWrite write : writes) {
      if (write instanceof PendingWrite.Terminate end) {
        current.emitInto(steps);
        current = new Builder();
        steps.add(new End(end));
        continue;
      }
      if (!current.accepts(write)) {
        current.emitInto(steps);
        current = new Builder();
      }
      current.add(write);
    }
    current.emitInto(steps);
    return steps;
  }

  private final class Builder {
    private final List<PendingWrite.Metric> metrics = new ArrayList<>();
    private final Map<String, PendingWrite.Param> params = new LinkedHashMap<>();
    private final Map<String, PendingWrite.Tag> tags = new LinkedHashMap<>();
    private int bytes;

    boolean accepts(PendingWrite write) {
      int entities = metrics.size() + params.size() + tags.size();
      if (write instanceof PendingWrite.Metric m) {
        return metrics.size() < limits.maxMetricsPerBatch()
            && entities < limits.maxEntitiesPerBatch()
            && bytes + MlflowLimits.estimatedJsonBytes(m.key(), null) <= limits.maxRequestBytes();
      }
      if (write instanceof PendingWrite.Param p) {
        PendingWrite.Param existing = params.get(p.key());
        if (existing != null) {
          return existing.value().equals(p.value());
        }
        return hasRoomForParamOrTag(entities, p.key(), p.value());
      }
      PendingWrite.Tag t = (PendingWrite.Tag) write;
      PendingWrite.Tag existing = tags.get(t.key());
      if (existing != null) {
        int delta =
            MlflowLimits.estimatedJsonBytes(t.key(), t.value())
                - MlflowLimits.estimatedJsonBytes(existing.key(), existing.value());
        return bytes + delta <= limits.maxRequestBytes();
      }
      return hasRoomForParamOrTag(entities, t.key(), t.value());
    }

    private boolean hasRoomForParamOrTag(int entities, String key, String value) {
      return params.size() + tags.size() < limits.maxParamsAndTagsPerBatch()
          && entities < limits.maxEntitiesPerBatch()
          && bytes + MlflowLimits.estimatedJsonBytes(key, value) <= limits.maxRequestBytes();
    }

    void add(PendingWrite write) {
      if (write instanceof PendingWrite.Metric m) {
        metrics.add(m);
        bytes += MlflowLimits.estimatedJsonBytes(m.key(), null);
      } else if (write instanceof PendingWrite.Param p) {
        if (params.putIfAbsent(p.key(), p) == null) {
          bytes += MlflowLimits.estimatedJsonBytes(p.key(), p.value());
        }
      } else {
        PendingWrite.Tag t = (PendingWrite.Tag) write;
        PendingWrite.Tag previous = tags.remove(t.key());
        if (previous != null) {
          bytes -= MlflowLimits.estimatedJsonBytes(previous.key(), previous.value());
        }
        tags.put(t.key(), t);
        bytes += MlflowLimits.estimatedJsonBytes(t.key(), t.value());
      }
    }

    void emitInto(List<Step> steps) {
      if (!metrics.isEmpty() || !params.isEmpty() || !tags.isEmpty()) {
        steps.add(
            new Batch(
                List.copyOf(metrics), List.copyOf(params.values()), List.copyOf(tags.values())));
      }
    }
  }
}
