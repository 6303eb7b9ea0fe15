package dev.autopilot.internal;

import java.util.ArrayList;
import java.util.List;

/** Every built-in pack. */
public final class Packs {
  private Packs() {}

  public static List<Pack> all() {
    List<Pack> packs = new ArrayList<>();
    packs.add(new dev.autopilot.internal.sqltasks.SqlTasksPack());
    packs.add(new dev.autopilot.internal.knowledge.KnowledgePack());
    packs.add(new dev.autopilot.internal.backup.BackupPack());
    packs.add(new dev.autopilot.internal.learning.LearningPack());
    packs.add(new dev.autopilot.internal.code.CodePack());
    return packs;
  }
}
