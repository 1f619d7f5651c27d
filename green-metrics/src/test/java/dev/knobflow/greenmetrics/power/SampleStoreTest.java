package dev.knobflow.greenmetrics.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleStoreTest {

  private static PowerSample s(long t) {
    return new PowerSample(t, t * 10.0);
  }

  @Test
  void windowQueryIncludesOneBoundingSampleOnEachSide() {
    SampleStore store = new SampleStore(16);
    for (long t = 0; t < 10; t++) {
      store.append(s(t * 100));
    }
    assertEquals(List.of(s(200), s(300), s(400), s(500)), store.samples(250, 450));
    assertEquals(
        List.of(s(200), s(300), s(400), s(500)),
        store.samples(300, 400),
        "neighbours are included even when samples sit exactly on the edges");
    assertEquals(List.of(s(900)), store.samples(950, 2000));
    assertEquals(List.of(s(0)), store.samples(-50, -10));
  }

  @Test
  void ringBufferKeepsTheNewestSamplesWhenFull() {
    SampleStore store = new SampleStore(4);
    for (long t = 1; t <= 10; t++) {
      store.append(s(t));
    }
    assertEquals(4, store.size());
    assertEquals(10, store.appendedCount());
    assertEquals(List.of(s(7), s(8), s(9), s(10)), store.samples(Long.MIN_VALUE, Long.MAX_VALUE));
    assertEquals(s(10), store.latest().orElseThrow());
  }

  @Test
  void outOfOrderSamplesAreRejected() {
    SampleStore store = new SampleStore(4);
    assertTrue(store.append(s(5)));
    assertFalse(store.append(s(5)));
    assertFalse(store.append(s(3)));
    assertEquals(1, store.size());
  }

  @Test
  void subscribersGetTheNewestSampleThenEveryNewOneUntilClosed() {
    SampleStore store = new SampleStore(4);
    store.append(s(1));
    store.append(s(2));
    List<PowerSample> seen = new ArrayList<>();
    Subscription sub = store.subscribe(seen::add);
    store.append(s(3));
    sub.close();
    store.append(s(4));
    assertEquals(List.of(s(2), s(3)), seen);
  }

  @Test
  void invalidSamplesAndCapacitiesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new PowerSample(0, -1));
    assertThrows(IllegalArgumentException.class, () -> new PowerSample(0, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> new SampleStore(1));
  }
}
