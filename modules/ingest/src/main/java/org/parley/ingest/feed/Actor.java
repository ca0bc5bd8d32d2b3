package org.parley.ingest.feed;

/**
 * One side of a coded event, resolved to the entity that negotiates.
 *
 * @param name the actor as the feed names it ("Kim Yong-chol", "Police (India)", "OBAMA")
 * @param kind what sort of actor it is, which decides whether it can be a party to a talk
 * @param entity the party at state level: the country for a state, its officials and organs; the
 *     actor itself for an organisation, an armed group or a generic sector
 * @param country the actor's home country, for telling domestic pairs; null for organisations
 * @param armed whether it is an armed force (a military, rebels, insurgents), a sign of armed
 *     conflict
 * @param participant whether the name is worth keeping as a participant of a state-level talk (a
 *     named person or body, not the state's own name)
 */
public record Actor(
    String name, Kind kind, String entity, String country, boolean armed, boolean participant) {

  public enum Kind {
    /**
     * A state, or one of its officials or organs that speak for it (a head of state, a ministry,
     * the army).
     */
    STATE,
    /** An international or non-governmental organisation: it negotiates as itself. */
    ORGANIZATION,
    /**
     * Rebels, insurgents, separatists: they negotiate as themselves, often with their own state.
     */
    ARMED_GROUP,
    /**
     * A generic part of society (citizens, police, courts, business, media): noise unless asked
     * for.
     */
    SECTOR,
    /**
     * No one in particular: an unspecified actor, a region, a government the feed does not name.
     */
    UNIDENTIFIED
  }

  static Actor state(String name, String country, boolean armed, boolean participant) {
    return new Actor(name, Kind.STATE, country, country, armed, participant);
  }

  static Actor own(String name, Kind kind, String country, boolean armed) {
    return new Actor(name, kind, name, country, armed, false);
  }
}
