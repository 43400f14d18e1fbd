package org.odahu.pack.artifact.archive;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExtractionBudgetTest {
  private static final ExtractionLimits LIMITS = new ExtractionLimits(100, 1L << 30, 100, 1L << 20);

  /** A sparse tar entry may declare Long.MAX_VALUE bytes: the sum must not wrap below the limit. */
  @Test
  void sizesNearTheLargestLongDoNotWrapTheBudget() {
    ExtractionBudget budget = new ExtractionBudget("Model artifact a.tar", LIMITS, 1L << 30);
    budget.countBytes("a", 1);
    ArchiveLimitExceededException e =
        assertThrows(
            ArchiveLimitExceededException.class, () -> budget.countBytes("sparse", Long.MAX_VALUE));
    assertTrue(e.getMessage().contains("expands to more than 1073741824 bytes"), e.getMessage());
    // What was refused was not counted, and the rest still is.
    budget.countBytes("b", (1L << 30) - 1);
    assertThrows(ArchiveLimitExceededException.class, () -> budget.countBytes("c", 1));
  }
}
