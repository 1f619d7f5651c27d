package dev.knobflow.plugin.mlflow.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageTagsTest {

  @Test
  void smallValuesTakeOneTagAndLargeOnesAreChunkedUnderTheLimitWithTheMarkerLast() {
    assertEquals(Map.of("k", "{\"a\":1}"), StorageTags.jsonTags("k", Map.of("a", 1)));
    String big = "é".repeat(20_000);
    Map<String, String> tags = StorageTags.jsonTags("knobflow.user.notes", big);
    assertEquals(4, tags.size(), "3 chunks of at most 7,900 characters and the marker");
    tags.values().forEach(v -> assertTrue(v.length() <= StorageTags.MAX_TAG_CHARS));
    List<String> keys = new ArrayList<>(tags.keySet());
    assertEquals("knobflow.user.notes", keys.get(keys.size() - 1));
    assertEquals(big, StorageTags.plain(StorageTags.readJson(tags, "knobflow.user.notes")));
    // Chunks do not look like attributes of the prefix.
    assertEquals(
        List.of("notes"), List.copyOf(StorageTags.withPrefix(tags, "knobflow.user.").keySet()));
  }

  @Test
  void aMissingChunkIsAnErrorNotASilentlyShortValue() {
    Map<String, String> tags = new HashMap<>(StorageTags.jsonTags("k", "x".repeat(10_000)));
    tags.remove("knobflow.chunk.1.k");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StorageTags.readJson(tags, "k"));
    assertTrue(e.getMessage().contains("chunk 1 is missing"), e.getMessage());
  }

  @Test
  void filterValuesWithQuotesAreRefused() {
    assertEquals("tags.`a.b` = 'x'", StorageTags.tagEquals("a.b", "x"));
    assertThrows(IllegalArgumentException.class, () -> StorageTags.tagEquals("a", "it's"));
  }
}
