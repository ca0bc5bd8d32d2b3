package org.parley.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
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
  void tooShortEmptyAndOversizedValuesAreRefusedWithTheirSizes() {
    assertThatThrownBy(() -> codec.decode(new byte[] {(byte) 0xC3, 0x01, 7}))
        .hasMessageContaining("3 bytes is too short");
    assertThatThrownBy(() -> codec.decode(null)).hasMessageContaining("tombstone");
    assertThatThrownBy(() -> codec.decode(new byte[RecordCodec.MAX_EVENT_BYTES + 1]))
        .hasMessageContaining("65,537 bytes, over the limit of 65,536 bytes");
  }
}
