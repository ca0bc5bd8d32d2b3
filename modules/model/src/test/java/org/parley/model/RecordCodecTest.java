package org.parley.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.apache.avro.message.BinaryMessageDecoder;
import org.junit.jupiter.api.Test;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.CommitmentStatusChanged;
import org.parley.avro.DiplomaticEvent;

class RecordCodecTest {

  private final RecordCodec<DiplomaticEvent> codec = RecordCodec.events();
  private final DiplomaticEvent event = SeedStory.events().get(0);

  @Test
  void encodedEventsStartWithTheSingleObjectMarkerAndFingerprintAndDecodeToTheSameEvent()
      throws Exception {
    byte[] bytes = codec.encode(event);

    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    long fingerprint = 0;
    for (int i = 9; i >= 2; i--) {
      fingerprint = (fingerprint << 8) | (bytes[i] & 0xff);
    }
    assertThat(fingerprint).isEqualTo(codec.fingerprint());
    assertThat(codec.decode(bytes)).isEqualTo(event);
  }

  @Test
  void jsonBytesOnTheTopicAreRefusedWithAHintToPublishJsonThroughParley() {
    byte[] json = Events.toJson(event).getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> codec.decode(json))
        .isInstanceOf(UndecodableRecord.class)
        .hasMessageContaining("instead of the marker C3 01")
        .hasMessageContaining("looks like JSON");
  }

  @Test
  void anUnknownFingerprintIsNamedAlongsideTheVersionsThisParleyReads() {
    byte[] bytes = codec.encode(event);
    bytes[5] ^= 0x55;

    assertThatThrownBy(() -> codec.decode(bytes))
        .hasMessageContaining("unknown DiplomaticEvent schema")
        .hasMessageContaining("DiplomaticEvent (current)")
        .hasMessageContaining("DiplomaticEvent v1");
  }

  /**
   * A replay must refuse a record with the words the live pipeline used. Once the JIT has compiled
   * a method that keeps throwing the same JVM exception, it throws a shared one with no message
   * (HotSpot's OmitStackTraceInFastThrow), so a reason that quoted the JVM's message read "(Index
   * 40 out of bounds for length 18)" while cold and "(null)" once hot.
   */
  @Test
  void aCorruptBodyIsRefusedWithTheSameReasonHoweverOftenItIsRead() {
    DiplomaticEvent withStatus = DiplomaticEvent.newBuilder(event).build();
    withStatus.setPayload(new CommitmentStatusChanged("c1", CommitmentStatus.WITHDRAWN, null));
    byte[] corrupt = codec.encode(withStatus);
    // The payload comes last: the status symbol (WITHDRAWN, 6, zig-zag 12), then the null reason.
    corrupt[corrupt.length - 2] = (byte) (40 * 2);
    Set<String> reasons = new HashSet<>();
    for (int i = 0; i < 200_000; i++) {
      try {
        codec.decode(corrupt);
      } catch (UndecodableRecord e) {
        reasons.add(e.getMessage());
      }
    }
    assertThat(reasons)
        .containsExactly(
            "corrupt DiplomaticEvent body: it refers to a union branch or enum symbol that does not"
                + " exist");
  }

  /**
   * The codec reads the body from the array rather than through Avro's own single-object decoder,
   * so it must come to the same thing as Avro's decoder on every input: the same record, or a
   * refusal with the reason Avro's exception for those bytes gives. Every seed event, cut short at
   * every length and with each of its bytes overwritten in turn.
   */
  @Test
  void everyEventAndEveryCorruptionOfItIsReadAsAvrosOwnDecoderReadsIt() throws Exception {
    BinaryMessageDecoder<DiplomaticEvent> avros =
        new BinaryMessageDecoder<>(RecordCodec.MODEL, codec.schema());
    SchemaHistory.versionsOf(codec.schema().getFullName())
        .forEach(old -> avros.addSchema(old.schema()));
    int read = 0;
    int refused = 0;
    for (DiplomaticEvent each : SeedStory.events()) {
      byte[] bytes = codec.encode(each);
      List<byte[]> inputs = new ArrayList<>();
      for (int length = 10; length <= bytes.length; length++) {
        inputs.add(Arrays.copyOf(bytes, length));
      }
      for (int at = 0; at < bytes.length; at++) {
        for (int value : new int[] {0x00, 0x01, 0x7F, 0x80, 0xFF, bytes[at] ^ 0x02}) {
          byte[] changed = bytes.clone();
          changed[at] = (byte) value;
          inputs.add(changed);
        }
      }
      for (byte[] input : inputs) {
        Object expected;
        try {
          expected = avros.decode(input);
        } catch (IOException | RuntimeException e) {
          expected = codec.refused(input, e).getMessage();
        }
        Object actual;
        try {
          actual = codec.decode(input);
          read++;
        } catch (UndecodableRecord e) {
          actual = e.getMessage();
          refused++;
        }
        assertThat(actual).as("%s", HexFormat.of().formatHex(input)).isEqualTo(expected);
      }
    }
    assertThat(read).as("inputs read").isGreaterThan(1_000);
    assertThat(refused).as("inputs refused").isGreaterThan(1_000);
  }

  @Test
  void aTruncatedBodyIsRefusedAsTruncated() {
    byte[] bytes = codec.encode(event);
    byte[] cut = Arrays.copyOf(bytes, bytes.length / 2);

    assertThatThrownBy(() -> codec.decode(cut))
        .hasMessageContaining("truncated or corrupt DiplomaticEvent body");
  }

  @Test
  void aForgedHugeLengthIsRefusedWithoutAllocatingIt() {
    byte[] header = Arrays.copyOf(codec.encode(event), 10);
    // The body starts with the eventId string: claim it is about a gigabyte long (zig-zag varint).
    byte[] forged = Arrays.copyOf(header, 15);
    byte[] length = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x08};
    System.arraycopy(length, 0, forged, 10, 5);

    assertThatThrownBy(() -> codec.decode(forged)).isInstanceOf(UndecodableRecord.class);
  }

  @Test
  void aForgedLengthPastWhatJavaCanHoldIsRefusedAsCorruptNotTakenForADefect() {
    byte[] header = Arrays.copyOf(codec.encode(event), 10);
    // The eventId string claimed 3,000,000,000 bytes long: zig-zag 6,000,000,000 as a varint.
    byte[] forged = Arrays.copyOf(header, 15);
    long zigZag = 6_000_000_000L;
    for (int i = 10; i < 15; i++, zigZag >>>= 7) {
      forged[i] = (byte) ((zigZag & 0x7f) | (zigZag >= 0x80 ? 0x80 : 0));
    }

    assertThatThrownBy(() -> codec.decode(forged))
        .isInstanceOf(UndecodableRecord.class)
        .hasMessageContaining("truncated or corrupt DiplomaticEvent body after the header")
        .hasMessageContaining("Cannot read strings longer than");
  }

  @Test
  void tooShortEmptyAndOversizedValuesAreRefusedWithTheirSizes() {
    assertThatThrownBy(() -> codec.decode(new byte[] {(byte) 0xC3, 0x01, 7}))
        .hasMessageContaining("3 bytes is too short");
    assertThatThrownBy(() -> codec.decode(null)).hasMessageContaining("tombstone");
    assertThatThrownBy(() -> codec.decode(new byte[RecordCodec.MAX_EVENT_BYTES + 1]))
        .hasMessageContaining("65,537 bytes, over the limit of 65,536 bytes");
  }
}
