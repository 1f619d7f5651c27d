package dev.knobflow.greenmetrics.carbon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.greenmetrics.energy.DeviceEnergy;
import dev.knobflow.greenmetrics.energy.EnergyReport;
import dev.knobflow.greenmetrics.power.Device;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CarbonIntensityTest {

  @Test
  void knownCountriesComeFromTheShippedTable() {
    CarbonIntensity deu = CarbonIntensity.forCountry("DEU");
    assertEquals(380.95, deu.gramsPerKwh(), 1e-9);
    assertEquals(2023, deu.year().getAsInt());
    assertEquals("DEU", deu.country().orElseThrow());
    assertTrue(deu.source().contains("Germany"));
    assertEquals(56.039, CarbonIntensity.forCountry(" fra ").gramsPerKwh(), 1e-9);
    assertEquals(713.441, CarbonIntensity.forCountry("IND").gramsPerKwh(), 1e-9);
  }

  @Test
  void tableCoversTheWorldAndIsSorted() {
    List<String> codes = CarbonIntensity.knownCountries();
    assertTrue(codes.size() > 200, "countries " + codes.size());
    assertEquals(codes.stream().sorted().toList(), codes);
    assertTrue(codes.stream().allMatch(c -> c.matches("[A-Z]{3}")));
  }

  @Test
  void unknownCountryExplainsHowToFindAValidCode() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CarbonIntensity.forCountry("XYZ"));
    assertTrue(e.getMessage().contains("'XYZ'"));
    assertTrue(e.getMessage().contains("ISO 3166-1 alpha-3"));
    assertTrue(e.getMessage().contains("CarbonIntensity.of"));
    IllegalArgumentException alpha2 =
        assertThrows(IllegalArgumentException.class, () -> CarbonIntensity.forCountry("DE"));
    assertTrue(alpha2.getMessage().contains("DE -> DEU"), alpha2.getMessage());
  }

  @Test
  void worldDefaultIs475GramsPerKwh() {
    assertEquals(475.0, CarbonIntensity.worldDefault().gramsPerKwh());
    assertTrue(CarbonIntensity.worldDefault().source().contains("IEA"));
  }

  @Test
  void gramsAreKilowattHoursTimesIntensity() {
    assertEquals(700.0, CarbonIntensity.of(350).gramsCo2e(2.0), 1e-9);
    assertEquals(0.0, CarbonIntensity.of(350).gramsCo2e(0.0));
    EnergyReport report =
        new EnergyReport(
            Instant.EPOCH,
            Duration.ofHours(1),
            List.of(
                new DeviceEnergy(Device.gpu(0, "", "g"), 3_600_000.0, 1000, 1000, 36000, 1.0),
                new DeviceEnergy(Device.cpuPackage(0), 1_800_000.0, 500, 500, 36000, 1.0)));
    assertEquals(1.5 * 380.95, CarbonIntensity.forCountry("DEU").gramsCo2e(report), 1e-9);
  }

  @Test
  void invalidValuesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> CarbonIntensity.of(-1));
    assertThrows(IllegalArgumentException.class, () -> CarbonIntensity.of(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> CarbonIntensity.of(300).gramsCo2e(-2));
  }
}
