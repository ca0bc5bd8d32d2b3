package org.parley.app.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Times on the command line: ISO-8601 with an offset (2016-09-09T09:00:00Z), or a date meaning its
 * start in UTC.
 */
final class Times implements ITypeConverter<Instant> {
  @Override
  public Instant convert(String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (RuntimeException e) {
      try {
        return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (RuntimeException again) {
        throw new TypeConversionException(
            "'" + value + "' is not a time: write 2016-09-09T09:00:00Z or 2016-09-09");
      }
    }
  }
}
