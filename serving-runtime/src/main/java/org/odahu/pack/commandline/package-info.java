/**
 * The command-line edge every odahu-pack executable shares: the {@code odahu-pack} command (cli
 * module) and the images' entrypoints ({@code ServerMain} of docker-rest images, {@code InvokeMain}
 * of docker-cli images). It turns the libraries' typed exceptions into one-line messages with hints
 * ({@link org.odahu.pack.commandline.HelpfulSuggestions}, the only place hints are written),
 * command-line mistakes into exit code 2 with the usage ({@link
 * org.odahu.pack.commandline.ErrorHandler}, {@link org.odahu.pack.commandline.Converters}), and
 * configures logging ({@link org.odahu.pack.commandline.Logging}).
 *
 * <p>It lives in serving-runtime because the images carry serving-runtime and not the cli module;
 * it depends only on picocli, the JDK and gppi-bridge's exceptions, never on the server, so it
 * could become a module of its own without changes.
 */
package org.odahu.pack.commandline;
