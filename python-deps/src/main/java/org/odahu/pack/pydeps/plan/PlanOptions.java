package org.odahu.pack.pydeps.plan;

/**
 * How to plan.
 *
 * @param strict whether warnings fail the plan ({@code --strict-dependencies})
 * @param allowLinuxTag whether {@code linux_<arch>} wheels (built for one machine) are acceptable
 * @param prereleases whether pre-releases are acceptable (pip's {@code --pre})
 * @param refresh whether to resolve again even when the cache holds a resolution of the same inputs
 * @param budget how many candidates the resolver may try before giving up
 */
public record PlanOptions(
    boolean strict, boolean allowLinuxTag, boolean prereleases, boolean refresh, int budget) {
  /** Not strict, manylinux only, final releases, cached resolutions reused. */
  public static final PlanOptions DEFAULTS = new PlanOptions(false, false, false, false, 20_000);

  /**
   * For the machine's own Python ({@code --install-deps}): {@code linux_<arch>} wheels too, as pip
   * takes them there, where they were most likely built.
   */
  public static final PlanOptions LOCAL = new PlanOptions(false, true, false, false, 20_000);

  /** These options with {@code strict} set. */
  public PlanOptions withStrict(boolean value) {
    return new PlanOptions(value, allowLinuxTag, prereleases, refresh, budget);
  }

  /** These options with {@code refresh} set. */
  public PlanOptions withRefresh(boolean value) {
    return new PlanOptions(strict, allowLinuxTag, prereleases, value, budget);
  }
}
