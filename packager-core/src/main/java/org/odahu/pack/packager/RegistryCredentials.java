package org.odahu.pack.packager;

/**
 * A registry user and password. The password never appears in {@link #toString()}, logs or errors.
 *
 * @param username the user
 * @param password the password or token
 */
public record RegistryCredentials(String username, String password) {
  @Override
  public String toString() {
    return "RegistryCredentials[username=" + username + ", password=***]";
  }
}
