package org.odahu.pack.commandline;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.InterpreterNotFoundException;
import org.odahu.pack.gppi.MissingModuleException;
import org.odahu.pack.gppi.ModelPredictionException;
import org.odahu.pack.gppi.ModelStartupException;
import org.odahu.pack.gppi.RuntimeNotInstalledException;
import org.odahu.pack.gppi.UnknownRuntimeException;
import org.odahu.pack.server.http.FileDescriptors;

/**
 * The one place where typed exceptions become what the user reads, in the manner of Jib's {@code
 * HelpfulSuggestions}: library code throws exceptions that carry data (a path, an interpreter, a
 * traceback) and never names a command-line flag; this table words them for the command line and
 * adds the hint. Exceptions with no entry are shown with their own message.
 *
 * <p>To map a new exception, add one {@code .with(...)} line to {@link #standard()}: the first
 * entry whose type matches wins, so put subclasses before their superclasses.
 */
public final class HelpfulSuggestions {
  private record Entry<T extends Throwable>(
      Class<T> type, Function<? super T, String> message, Function<? super T, String> details) {
    boolean matches(Throwable error) {
      return type.isInstance(error);
    }

    String message(Throwable error) {
      return message.apply(type.cast(error));
    }

    String details(Throwable error) {
      return details.apply(type.cast(error));
    }
  }

  private final List<Entry<?>> entries;

  private HelpfulSuggestions(List<Entry<?>> entries) {
    this.entries = List.copyOf(entries);
  }

  /** The suggestions of every odahu-pack executable. */
  public static HelpfulSuggestions standard() {
    return new HelpfulSuggestions(List.of())
        // Start-up failures the model libraries report as data get the flag that fixes them.
        .with(
            InterpreterNotFoundException.class,
            e ->
                hinted(
                    e,
                    "install Python 3 with the model's dependencies, or choose an interpreter"
                        + " (--python, ODAHU_PYTHON)."))
        .with(
            UnknownRuntimeException.class,
            e -> hinted(e, "choose --runtime " + String.join(" or ", e.knownRuntimes()) + "."))
        .with(
            RuntimeNotInstalledException.class,
            e ->
                hinted(e, "odahu-pack's lib/graalpy directory holds it; or use --runtime cpython."))
        .with(
            MissingModuleException.class,
            e ->
                hinted(
                    e,
                    BackendOptions.GRAALPY.equals(e.runtime())
                        ? "serve this model with the CPython runtime (--runtime cpython)."
                        : "install them there, or pick an interpreter that has them (--python)."),
            e -> e.pythonTraceback())
        // The model's own error is the message; its Python traceback is shown with --verbose.
        .with(ModelStartupException.class, Throwable::getMessage, e -> e.pythonTraceback())
        .with(ModelPredictionException.class, Throwable::getMessage, e -> e.pythonTraceback())
        // The JDK's file exceptions have only the path as their message.
        .with(NoSuchFileException.class, e -> file(e, "No such file or directory"))
        .with(AccessDeniedException.class, e -> file(e, "Permission denied"))
        .with(NotDirectoryException.class, e -> file(e, "Not a directory"))
        .with(FileAlreadyExistsException.class, e -> file(e, "Already exists"))
        .with(DirectoryNotEmptyException.class, e -> file(e, "Directory not empty"));
  }

  /** These suggestions and, after them, {@code message} for errors of {@code type}. */
  public <T extends Throwable> HelpfulSuggestions with(
      Class<T> type, Function<? super T, String> message) {
    return with(type, message, HelpfulSuggestions::noDetails);
  }

  /**
   * These suggestions and, after them, {@code message} for errors of {@code type} with {@code
   * details} shown under {@code --verbose}.
   */
  public <T extends Throwable> HelpfulSuggestions with(
      Class<T> type, Function<? super T, String> message, Function<? super T, String> details) {
    List<Entry<?>> more = new ArrayList<>(entries);
    more.add(new Entry<>(type, message, details));
    return new HelpfulSuggestions(more);
  }

  /**
   * The one-line message for {@code error}, with its hint when there is one. A failure that only
   * wraps another (of a {@code CompletionStage} or a {@code Future}) is worded as the one it wraps;
   * one caused by running out of file descriptors, wherever that struck (an event loop, a socket, a
   * library to load), says so.
   */
  public String message(Throwable error) {
    if (outOfFileDescriptors(error)) {
      long limit = descriptorLimit();
      return "Too many open files"
          + (limit < 0 ? "" : ": the process may have at most " + limit + " open (ulimit -n)")
          + ". Hint: raise the limit (ulimit -n, or a container's nofile ulimit) to a few"
          + " thousand.";
    }
    if ((error instanceof CompletionException || error instanceof ExecutionException)
        && error.getCause() != null) {
      return message(error.getCause());
    }
    for (Entry<?> entry : entries) {
      if (entry.matches(error)) {
        return entry.message(error);
      }
    }
    return error.getMessage() == null || error.getMessage().isBlank()
        ? error.toString()
        : error.getMessage();
  }

  /**
   * What {@code --verbose} adds below the message for {@code error} or any of its causes (a Python
   * traceback); empty if nothing.
   */
  public String details(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      for (Entry<?> entry : entries) {
        if (entry.matches(cause)) {
          String details = entry.details(cause);
          if (!details.isEmpty()) {
            return details;
          }
        }
      }
    }
    return "";
  }

  /** Whether {@code error} or one of its causes is the system's EMFILE, "Too many open files". */
  static boolean outOfFileDescriptors(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (String.valueOf(cause.getMessage()).contains("Too many open files")) {
        return true;
      }
    }
    return false;
  }

  /** The descriptor limit, or -1 when even loading what reads it fails for want of descriptors. */
  private static long descriptorLimit() {
    try {
      return FileDescriptors.limit();
    } catch (LinkageError e) {
      return -1;
    }
  }

  private static String noDetails(Throwable error) {
    return "";
  }

  /** {@code error}'s message, a full stop, and what the user can do about it. */
  private static String hinted(Throwable error, String hint) {
    String message = error.getMessage();
    return message + (message.endsWith(".") ? "" : ".") + " Hint: " + hint;
  }

  private static String file(FileSystemException error, String problem) {
    String reason = error.getReason() == null ? "" : " (" + error.getReason() + ")";
    String other = error.getOtherFile() == null ? "" : " -> " + error.getOtherFile();
    return problem + ": " + error.getFile() + other + reason;
  }
}
