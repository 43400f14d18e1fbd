package org.odahu.pack.packager;

/**
 * A registry user and password, and where they came from. The password never appears in {@link
 * #toString()}, logs or errors.
 *
 * @param username the user
 * @param password the password or token
 * @param source where they came from, as errors name it, e.g. {@code the connection}
 */
public record RegistryCredentials(String username, String password, String source) {
  /** The source of credentials from an ODAHU Connection. */
  public static final String CONNECTION = "the connection";

  /** Credentials from an ODAHU Connection. */
  public RegistryCredentials(String username, String password) {
    this(username, password, CONNECTION);
  }

  /**
   * The source of credentials from the ODAHU Connection {@code id}: {@code the connection 'id'}.
   */
  public static String connection(String id) {
    return id == null ? CONNECTION : CONNECTION + " '" + id + "'";
  }

  @Override
  public String toString() {
    return "RegistryCredentials[username=" + username + ", password=***, source=" + source + "]";
  }
}
