package org.odahu.pack.pydeps.tags;

/**
 * One PEP 425 compatibility tag, e.g. {@code cp311-cp311-manylinux_2_17_x86_64}.
 *
 * @param interpreter {@code cp311}, {@code py3}...
 * @param abi the ABI: {@code cp311}, the stable ABI, {@code none}...
 * @param platform {@code manylinux_2_17_x86_64}, {@code any}...
 */
public record WheelTag(String interpreter, String abi, String platform) {
  @Override
  public String toString() {
    return interpreter + "-" + abi + "-" + platform;
  }
}
