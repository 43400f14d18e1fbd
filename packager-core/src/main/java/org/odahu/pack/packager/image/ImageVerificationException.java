package org.odahu.pack.packager.image;

import org.odahu.pack.packager.PackagingException;

/** A built image failed its self-check: it is neither pushed nor kept. */
public final class ImageVerificationException extends PackagingException {
  private static final long serialVersionUID = 1L;

  private final String modelError;

  /**
   * @param modelError what the model's self-check reported, e.g. {@code ModuleNotFoundError: No
   *     module named 'xgboost'}
   */
  public ImageVerificationException(String modelError) {
    super(
        "The image failed its self-check, so it was not published: "
            + modelError
            + (modelError.contains("No module named")
                ? " Hint: declare the module's package in the model's conda.yaml (under pip: for"
                    + " PyPI) so that the image installs it, or name a base image that has it"
                    + " (dockerfileBaseImage)."
                : "")
            + " (--no-verify skips the check)");
    this.modelError = modelError;
  }

  /** What the model's self-check reported. */
  public String modelError() {
    return modelError;
  }
}
