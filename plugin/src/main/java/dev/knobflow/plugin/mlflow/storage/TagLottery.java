package dev.knobflow.plugin.mlflow.storage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Lamport's bakery over the tags of one run: decides, without compare-and-set, which of several
 * workers wins a one-time action on a trial (finishing it, claiming a WAITING trial).
 *
 * <p>A contender writes {@code <prefix><id> = "?"} (choosing), reads the run, takes a ticket one
 * above every ticket it saw and writes {@code <prefix><id> = {"ticket": n, "at": millis}} together
 * with its payload, then waits until no other contender is still choosing. The entry with the
 * smallest (ticket, id) wins. Any contender that starts choosing after another's ticket is visible
 * sees that ticket and draws a larger one, so a winner that has seen no choosers can never be
 * overtaken. A contender stuck choosing longer than the choose timeout is marked {@code abandoned}
 * and ignored.
 */
final class TagLottery {

  static final String ABANDONED = "abandoned";

  /** A drawn ticket. */
  record Entry(String id, long ticket, long at) {}

  private static final Comparator<Entry> ORDER =
      Comparator.comparingLong(Entry::ticket).thenComparing(Entry::id);

  private final ServerCalls server;

  TagLottery(ServerCalls server) {
    this.server = server;
  }

  /**
   * Enters the lottery {@code prefix} on run {@code runId}.
   *
   * @param payload tags to write with the ticket, given the entry id (e.g. the outcome to apply if
   *     this entry wins)
   * @return the winning entry and this contender's id
   */
  Draw enter(String runId, String prefix, Function<String, Map<String, String>> payload) {
    String id = UUID.randomUUID().toString().replace("-", "");
    String key = prefix + id;
    server.writeNow(runId, Map.of(key, StorageTags.CHOOSING));
    Map<String, String> tags = server.tags(runId);
    long max = entries(tags, prefix).values().stream().mapToLong(Entry::ticket).max().orElse(-1);
    long now = System.currentTimeMillis();
    Map<String, String> writes = new LinkedHashMap<>(payload.apply(id));
    writes.put(key, StorageTags.json(Map.of("ticket", max + 1, "at", now)));
    server.writeNow(runId, writes);
    tags = server.awaitChoosers(() -> server.tags(runId), t -> choosing(t, prefix, id).isEmpty());
    Set<String> choosing = choosing(tags, prefix, id);
    if (!choosing.isEmpty()) {
      Map<String, String> abandon = new LinkedHashMap<>();
      choosing.forEach(other -> abandon.put(prefix + other, ABANDONED));
      server.writeNow(runId, abandon);
      tags = server.tags(runId);
    }
    // Marked abandoned while we were slow: we did not take part.
    Entry mine = entries(tags, prefix).get(id);
    Optional<Entry> winner = winner(tags, prefix);
    return new Draw(id, mine != null && winner.isPresent() && winner.get().id().equals(id), winner);
  }

  /** The outcome of {@link #enter}. */
  record Draw(String id, boolean won, Optional<Entry> winner) {}

  /** The ticketed entries of lottery {@code prefix} by id. */
  static Map<String, Entry> entries(Map<String, String> tags, String prefix) {
    Map<String, Entry> out = new LinkedHashMap<>();
    StorageTags.withPrefix(tags, prefix)
        .forEach(
            (id, value) -> {
              if (value.startsWith("{")) {
                JsonNode node = StorageTags.parse(value);
                out.put(id, new Entry(id, node.path("ticket").asLong(), node.path("at").asLong()));
              }
            });
    return out;
  }

  /** Ids of entries other than {@code except} that are still choosing. */
  static Set<String> choosing(Map<String, String> tags, String prefix, String except) {
    Set<String> out = new java.util.TreeSet<>();
    StorageTags.withPrefix(tags, prefix)
        .forEach(
            (id, value) -> {
              if (value.equals(StorageTags.CHOOSING) && !id.equals(except)) {
                out.add(id);
              }
            });
    return out;
  }

  /** The winning entry, if any ticket was drawn. */
  static Optional<Entry> winner(Map<String, String> tags, String prefix) {
    return entries(tags, prefix).values().stream().min(ORDER);
  }
}
