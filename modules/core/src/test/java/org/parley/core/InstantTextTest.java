package org.parley.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Alert ids hash instants as text: any difference from Instant.toString would change every id. */
class InstantTextTest {

  @Property(tries = 5_000)
  void writesInstantsAsInstantToStringDoes(@ForAll("instants") Instant instant) {
    assertThat(InstantText.of(instant)).isEqualTo(instant.toString());
  }

  @Test
  void writesTheEdgesOfFourDigitYearsAndBeyondAsInstantToStringDoes() {
    for (Instant instant :
        new Instant[] {
          Instant.EPOCH,
          Instant.parse("0000-01-01T00:00:00Z"),
          Instant.parse("0000-01-01T00:00:00Z").minusNanos(1),
          Instant.parse("9999-12-31T23:59:59.999999999Z"),
          Instant.parse("9999-12-31T23:59:59Z").plusSeconds(1),
          Instant.parse("2024-02-29T23:59:59.100Z"),
          Instant.parse("2000-03-01T00:00:00.000100Z"),
          Instant.parse("1969-12-31T23:59:59.000000001Z"),
          Instant.MIN,
          Instant.MAX
        }) {
      assertThat(InstantText.of(instant)).as("%s", instant).isEqualTo(instant.toString());
    }
  }

  @Provide
  Arbitrary<Instant> instants() {
    Arbitrary<Long> seconds =
        Arbitraries.oneOf(
            Arbitraries.longs().between(-62_167_219_200L - 86_400, 253_402_300_799L + 86_400),
            Arbitraries.longs().between(0, 4_102_444_800L),
            Arbitraries.longs()
                .between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()));
    Arbitrary<Integer> nanos =
        Arbitraries.oneOf(
            Arbitraries.just(0),
            Arbitraries.integers().between(0, 999).map(n -> n * 1_000_000),
            Arbitraries.integers().between(0, 999_999).map(n -> n * 1_000),
            Arbitraries.integers().between(0, 999_999_999));
    return net.jqwik.api.Combinators.combine(seconds, nanos).as(Instant::ofEpochSecond);
  }
}
