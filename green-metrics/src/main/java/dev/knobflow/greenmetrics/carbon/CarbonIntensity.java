package dev.knobflow.greenmetrics.carbon;

import dev.knobflow.greenmetrics.energy.EnergyReport;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Grams of CO2-equivalent emitted per kWh of electricity, and the arithmetic {@code grams = kWh x
 * intensity}.
 *
 * <pre>{@code
 * CarbonIntensity.forCountry("DEU").gramsCo2e(report);   // shipped per-country table
 * CarbonIntensity.of(350).gramsCo2e(1.2);                 // a value you know (e.g. your utility's)
 * CarbonIntensity.worldDefault();                         // 475 g/kWh
 * }</pre>
 *
 * @param gramsPerKwh intensity in g CO2e/kWh
 * @param country ISO 3166-1 alpha-3 code when the value comes from the country table
 * @param year the data year of a table value
 * @param source where the value comes from, for reports
 */
public record CarbonIntensity(
    double gramsPerKwh, Optional<String> country, OptionalInt year, String source) {

  /**
   * World average used when nothing better is known: 475 g CO2e/kWh, the value CodeCarbon uses,
   * citing the IEA Global Energy &amp; CO2 Status Report 2019.
   */
  public static final double WORLD_DEFAULT_G_PER_KWH = 475.0;

  public CarbonIntensity {
    if (!Double.isFinite(gramsPerKwh) || gramsPerKwh < 0) {
      throw new IllegalArgumentException(
          "carbon intensity must be a finite number of g CO2e/kWh >= 0, got " + gramsPerKwh);
    }
    Objects.requireNonNull(country, "country");
    Objects.requireNonNull(year, "year");
    Objects.requireNonNull(source, "source");
  }

  /** A configured intensity in g CO2e/kWh. */
  public static CarbonIntensity of(double gramsPerKwh) {
    return new CarbonIntensity(gramsPerKwh, Optional.empty(), OptionalInt.empty(), "configured");
  }

  /** The documented world default, {@value #WORLD_DEFAULT_G_PER_KWH} g CO2e/kWh. */
  public static CarbonIntensity worldDefault() {
    return new CarbonIntensity(
        WORLD_DEFAULT_G_PER_KWH,
        Optional.empty(),
        OptionalInt.empty(),
        "world average (IEA 2019, as used by CodeCarbon)");
  }

  /**
   * The shipped intensity of a country's electricity generation (Our World in Data / Ember).
   *
   * @param iso3 ISO 3166-1 alpha-3 code, case-insensitive, e.g. {@code DEU}
   * @throws IllegalArgumentException for unknown codes, explaining how to find a valid one
   */
  public static CarbonIntensity forCountry(String iso3) {
    Objects.requireNonNull(iso3, "country code");
    String code = iso3.trim().toUpperCase(Locale.ROOT);
    CountryIntensityTable.Entry entry = CountryIntensityTable.get().find(code).orElse(null);
    if (entry == null) {
      String hint =
          code.length() == 2
              ? " It looks like an alpha-2 code; use the three-letter alpha-3 form (e.g. DE ->"
                  + " DEU, US -> USA, GB -> GBR)."
              : "";
      throw new IllegalArgumentException(
          "Unknown country code '"
              + iso3
              + "' for carbon intensity."
              + hint
              + " Use an ISO 3166-1 alpha-3 code (list: https://www.iso.org/obp/ui/#search or"
              + " CarbonIntensity.knownCountries(); "
              + CountryIntensityTable.get().size()
              + " countries are shipped), or give the value directly with"
              + " CarbonIntensity.of(gramsPerKwh).");
    }
    return new CarbonIntensity(
        entry.gramsPerKwh(),
        Optional.of(entry.iso3()),
        OptionalInt.of(entry.year()),
        "Our World in Data / Ember " + entry.year() + " (" + entry.name() + ")");
  }

  /** The alpha-3 codes of the shipped table, sorted. */
  public static java.util.List<String> knownCountries() {
    return CountryIntensityTable.get().codes();
  }

  /** Grams of CO2e for {@code kilowattHours} of electricity. */
  public double gramsCo2e(double kilowattHours) {
    if (!Double.isFinite(kilowattHours) || kilowattHours < 0) {
      throw new IllegalArgumentException(
          "kilowattHours must be a finite number >= 0, got " + kilowattHours);
    }
    return kilowattHours * gramsPerKwh;
  }

  /** Grams of CO2e for the total energy of a report. */
  public double gramsCo2e(EnergyReport report) {
    return gramsCo2e(report.totalKilowattHours());
  }
}
