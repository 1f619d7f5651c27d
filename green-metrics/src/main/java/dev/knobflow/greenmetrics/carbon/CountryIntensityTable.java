package dev.knobflow.greenmetrics.carbon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The shipped per-country table ({@code country-carbon-intensity.csv}), loaded once, read-only. */
final class CountryIntensityTable {

  static final String RESOURCE = "country-carbon-intensity.csv";

  record Entry(String iso3, String name, double gramsPerKwh, int year) {}

  private static final class Holder {
    static final CountryIntensityTable INSTANCE = load();
  }

  private final Map<String, Entry> byCode;

  private CountryIntensityTable(Map<String, Entry> byCode) {
    this.byCode = byCode;
  }

  static CountryIntensityTable get() {
    return Holder.INSTANCE;
  }

  Optional<Entry> find(String iso3) {
    return Optional.ofNullable(byCode.get(iso3));
  }

  List<String> codes() {
    return List.copyOf(byCode.keySet());
  }

  int size() {
    return byCode.size();
  }

  private static CountryIntensityTable load() {
    InputStream in = CountryIntensityTable.class.getResourceAsStream(RESOURCE);
    if (in == null) {
      throw new IllegalStateException("missing resource " + RESOURCE);
    }
    Map<String, Entry> map = new TreeMap<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      boolean header = true;
      while ((line = r.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        if (header) {
          header = false;
          continue;
        }
        String[] cells = line.split(",", -1);
        if (cells.length != 4) {
          throw new IllegalStateException("bad line in " + RESOURCE + ": " + line);
        }
        map.put(
            cells[0],
            new Entry(
                cells[0], cells[1], Double.parseDouble(cells[2]), Integer.parseInt(cells[3])));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new CountryIntensityTable(java.util.Collections.unmodifiableMap(map));
  }
}
