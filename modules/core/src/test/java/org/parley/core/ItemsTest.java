package org.parley.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.avro.Commitment;

class ItemsTest {

  @Test
  void theUntouchedHeadOfAListIsTheItemsAnEventLeftAsTheyWereAtTheirPlaces() {
    List<Commitment> three = Items.empty();
    for (String id : List.of("c0", "c1", "c2")) {
      three = Items.plus(three, commitment(id));
    }
    List<Commitment> appended = Items.plus(three, commitment("c3"));
    List<Commitment> editedAt1 = Items.with(three, 1, commitment("c1"));
    List<Commitment> editedAt0 = Items.with(three, 0, commitment("c0"));
    // As Avro reads a talk from a store: a plain list, of the same objects or of equal ones.
    List<Commitment> asRead = new ArrayList<>(three);
    List<Commitment> equalButNotTheSame =
        List.of(commitment("c0"), commitment("c1"), commitment("c2"));

    assertThat(Items.sharedPrefix(three, appended)).isEqualTo(3);
    assertThat(Items.sharedPrefix(three, editedAt1)).isEqualTo(1);
    assertThat(Items.sharedPrefix(three, editedAt0)).isZero();
    assertThat(Items.sharedPrefix(Items.empty(), three)).isZero();
    assertThat(Items.sharedPrefix(asRead, Items.with(asRead, 2, commitment("c2")))).isEqualTo(2);
    assertThat(Items.sharedPrefix(asRead, three)).isEqualTo(3);
    assertThat(Items.sharedPrefix(three, equalButNotTheSame)).isZero();
    assertThat(Items.sharedPrefix(appended, three)).as("a shorter list after").isEqualTo(3);
  }

  @Test
  void listsMadeFromOneAnotherByEditsAreKnownToHaveTheSameIdsAtEachPlaceAndNoOthersAre() {
    List<Commitment> two =
        Items.plus(Items.plus(Items.empty(), commitment("c0")), commitment("c1"));
    List<Commitment> edited = Items.with(two, 1, commitment("c1"));
    // Two edits of one list (a talk and a correction's refold of its history): siblings.
    List<Commitment> sibling = Items.with(two, 0, commitment("c0"));
    List<Commitment> passedOver =
        Items.sameIds(edited, new Object[] {edited.get(0), edited.get(1)});

    assertThat(Items.sameIdsKnown(two, edited)).isTrue();
    assertThat(Items.sameIdsKnown(edited, sibling)).isTrue();
    assertThat(Items.sameIdsKnown(two, passedOver)).isTrue();
    assertThat(Items.sameIdsKnown(two, Items.plus(two, commitment("c2"))))
        .as("a commitment added: another list of ids")
        .isFalse();
    assertThat(Items.sameIdsKnown(two, new ArrayList<>(two))).as("a list Avro read").isFalse();
    assertThat(
            Items.sameIdsKnown(
                new ArrayList<>(two), Items.with(new ArrayList<>(two), 0, commitment("c0"))))
        .as("each edit of a list Avro read works its hashes out anew")
        .isFalse();
  }

  @Test
  void anEditThatWouldChangeAnItemsIdIsRefusedAsItHappens() {
    List<Commitment> two =
        Items.plus(Items.plus(Items.empty(), commitment("c0")), commitment("c1"));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Items.with(two, 1, commitment("c9")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("item 1");
  }

  private static Commitment commitment(String id) {
    Commitment commitment = new Commitment();
    commitment.setCommitmentId(id);
    return commitment;
  }
}
