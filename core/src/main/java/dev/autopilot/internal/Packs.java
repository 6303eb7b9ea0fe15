package dev.autopilot.internal;

import java.util.ArrayList;
import java.util.List;

/** Every built-in pack. */
public final class Packs {
  private Packs() {}

  public static List<Pack> all() {
    List<Pack> packs = new ArrayList<>();
    packs.add(new dev.autopilot.internal.code.CodePack());
    return packs;
  }
}
