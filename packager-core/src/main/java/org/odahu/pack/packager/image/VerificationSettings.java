package org.odahu.pack.packager.image;

import java.time.Duration;

/**
 * Whether and how a built image is run before it is pushed.
 *
 * @param enabled whether to run the model's self-check in the image ({@code --no-verify} and the
 *     argument {@code verify: false} switch it off)
 * @param bwrap the bubblewrap command that runs the image
 * @param timeout the longest the self-check may take
 */
public record VerificationSettings(boolean enabled, String bwrap, Duration timeout) {
  /** On, with {@code bwrap} from the PATH, for at most ten minutes. */
  public static final VerificationSettings DEFAULTS =
      new VerificationSettings(true, "bwrap", Duration.ofMinutes(10));

  /** These settings switched on or off. */
  public VerificationSettings withEnabled(boolean value) {
    return new VerificationSettings(value, bwrap, timeout);
  }
}
