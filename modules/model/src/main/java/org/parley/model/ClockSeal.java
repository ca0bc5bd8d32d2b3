package org.parley.model;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.parley.avro.ClockTick;
import org.parley.avro.DiplomaticEvent;

/**
 * Proof that a ClockTick comes from Parley's ticker. A tick moves every quiet talk on its partition
 * to its time, so whoever can publish one can miss every deadline at once: producers therefore
 * cannot. The ticker seals each tick with an HMAC under the cluster's clock key, which only
 * Parley's own principals can read, and the pipeline dead-letters a tick whose seal does not
 * verify. The seal covers what a tick says: its id, its time and its partition.
 */
public final class ClockSeal {
  private static final String ALGORITHM = "HmacSHA256";
  private final SecretKeySpec key;

  public ClockSeal(byte[] key) {
    if (key.length < 16) {
      throw new IllegalArgumentException(
          "a clock key has at least 16 bytes, this one " + key.length);
    }
    this.key = new SecretKeySpec(key.clone(), ALGORITHM);
  }

  /** A fresh random key, for a cluster that has none yet. */
  public static byte[] newKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  /** The tick with its seal set. */
  public DiplomaticEvent seal(DiplomaticEvent tick) {
    ClockTick payload = (ClockTick) tick.getPayload();
    DiplomaticEvent sealed =
        DiplomaticEvent.newBuilder(tick)
            .setPayload(new ClockTick(payload.getPartition(), null))
            .build();
    ((ClockTick) sealed.getPayload()).setSeal(of(sealed));
    return sealed;
  }

  /** Whether the tick carries this key's seal (compared in constant time). */
  public boolean verifies(DiplomaticEvent tick) {
    String seal = ((ClockTick) tick.getPayload()).getSeal();
    return seal != null
        && MessageDigest.isEqual(
            seal.getBytes(StandardCharsets.US_ASCII), of(tick).getBytes(StandardCharsets.US_ASCII));
  }

  private String of(DiplomaticEvent tick) {
    String content =
        tick.getEventId()
            + '\n'
            + tick.getOccurredAt().toEpochMilli()
            + '\n'
            + ((ClockTick) tick.getPayload()).getPartition();
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
