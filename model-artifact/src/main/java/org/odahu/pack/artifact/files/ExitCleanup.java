package org.odahu.pack.artifact.files;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * What a program must undo however it ends: temporary directories to delete and resources to close.
 * A program creates one at its composition root ({@link #atExit()}) and hands it to what creates
 * temporary files; {@link #close()} undoes whatever is still registered, newest first, and so does
 * the one JVM shutdown hook it installs, so SIGINT, SIGTERM and {@code System.exit} leave nothing
 * behind either ({@code kill -9} cannot be caught by anything). Once it has begun, what is
 * registered (by a thread still working while the shutdown hook runs) is undone at once: nothing
 * registered late outlives the program.
 */
public final class ExitCleanup implements AutoCloseable {
  private final Set<Registration> pending = new LinkedHashSet<>();
  private final Thread hook;
  private boolean closing;

  private ExitCleanup(boolean onShutdown) {
    this.hook = onShutdown ? new Thread(this::runAll, "odahu-exit-cleanup") : null;
  }

  /** A cleanup that also runs when the JVM shuts down (signals, {@code System.exit}). */
  public static ExitCleanup atExit() {
    ExitCleanup cleanup = new ExitCleanup(true);
    Runtime.getRuntime().addShutdownHook(cleanup.hook);
    return cleanup;
  }

  /** A cleanup that runs only when closed, e.g. in a test. */
  public static ExitCleanup manual() {
    return new ExitCleanup(false);
  }

  /** Refused work: this cleanup has begun, so the program is stopping. */
  public static final class StoppingException extends IOException {
    private static final long serialVersionUID = 1L;

    StoppingException(String message) {
      super(message);
    }
  }

  /**
   * One thing to undo; closing it undoes it now (once) and forgets it. Closed by two threads at
   * once (the program's own and the shutdown hook), the second waits until the first has undone it:
   * the hook must not return, letting the JVM exit, while the other thread is still deleting.
   */
  public final class Registration implements AutoCloseable {
    private final String description;
    private final AutoCloseable action;
    private final AtomicReference<Thread> undoing = new AtomicReference<>();
    private final CountDownLatch undone = new CountDownLatch(1);

    private Registration(String description, AutoCloseable action) {
      this.description = description;
      this.action = action;
    }

    /** Undoes it now, unless already done; waits while another thread is undoing it. */
    @Override
    public void close() {
      Thread current = Thread.currentThread();
      if (!undoing.compareAndSet(null, current)) {
        if (undoing.get() != current) { // the action itself closing it again must not wait
          awaitUninterruptibly(undone);
        }
        return;
      }
      try {
        action.close();
      } catch (Exception e) {
        // Asked for here, not held: the first System.getLogger of an application class looks for
        // logging backends in every jar on the class path (~80 ms for odahu-pack's), which the
        // server's early worker would wait for (it creates an ExitCleanup before it spawns).
        System.getLogger(ExitCleanup.class.getName())
            .log(System.Logger.Level.WARNING, "Cannot clean up " + description + ": " + e, e);
      } finally {
        // Forgotten only once undone: a shutdown hook that begins meanwhile still finds it, and
        // waits for it.
        synchronized (pending) {
          pending.remove(this);
        }
        undone.countDown();
      }
    }
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Work that writes into a temporary directory. */
  @FunctionalInterface
  public interface Writing {
    /** Writes. */
    void run() throws IOException;
  }

  /**
   * A temporary directory, deleted with everything in it when closed or at exit. Whoever fills it
   * does so through {@link #write}, so that deleting it (from a shutdown hook, while the program's
   * own thread is still writing) waits for the current write and stops the next ones: nothing is
   * recreated after the directory is gone.
   */
  public static final class TemporaryDirectory implements AutoCloseable {
    private final Path path;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean deleted;
    private volatile boolean removing;
    private Registration registration;

    private TemporaryDirectory(Path path) {
      this.path = path;
    }

    /** The directory. */
    public Path path() {
      return path;
    }

    /**
     * Runs {@code writing} unless the directory is deleted (then it fails with an {@link
     * IOException}); the directory is not deleted while it runs.
     */
    public void write(Writing writing) throws IOException {
      lock.readLock().lock();
      try {
        if (deleted) {
          throw new StoppingException(path + " was removed: the program is stopping");
        }
        writing.run();
      } finally {
        lock.readLock().unlock();
      }
    }

    /**
     * Whether the directory is about to be deleted: a long write (unpacking an image) checks it as
     * it goes and gives up early, since deletion waits for it.
     */
    public boolean removing() {
      return removing;
    }

    private void delete() throws IOException {
      removing = true;
      lock.writeLock().lock();
      try {
        deleted = true;
        FileTrees.delete(path);
      } finally {
        lock.writeLock().unlock();
      }
    }

    /** Deletes the directory now. */
    @Override
    public void close() {
      registration.close();
    }
  }

  /**
   * Creates a directory in the system's temporary directory ({@link TemporaryFiles#directory()}),
   * named {@code prefix} plus random characters, deleted with everything in it when closed or at
   * exit.
   */
  public TemporaryDirectory newTemporaryDirectory(String prefix) throws IOException {
    return newTemporaryDirectory(TemporaryFiles.directory(), prefix);
  }

  /** As {@link #newTemporaryDirectory(String)}, in {@code parent}. */
  public TemporaryDirectory newTemporaryDirectory(Path parent, String prefix) throws IOException {
    // Created and registered in one step: registered only after its creation, a directory created
    // just as SIGTERM came stayed behind whenever the hook ran to its end in between.
    return createRegistered(
            "temporary directory " + parent.resolve(prefix) + "…",
            () -> new TemporaryDirectory(TemporaryFiles.newPrivateDirectory(parent, prefix)),
            directory -> {
              directory.registration =
                  new Registration(directory.path().toString(), directory::delete);
              return directory.registration;
            })
        .value();
  }

  /** Creates something that {@link #create} registers for undoing. */
  @FunctionalInterface
  public interface Creation<T> {
    /** Creates it. */
    T create() throws IOException;
  }

  /**
   * Creates something and registers its undoing in one step, as {@link #newTemporaryDirectory}
   * does: a shutdown hook that begins meanwhile waits for both and then undoes it, and nothing is
   * created once this cleanup has begun. For what must not outlive the program even when it is
   * stopped while creating it, such as a process.
   *
   * @param description what it is, for errors and for the log if undoing it fails
   * @param undo how to undo what {@code creation} created
   * @throws IOException if this cleanup has begun, or from {@code creation}
   */
  public <T> T create(
      String description, Creation<T> creation, Function<? super T, AutoCloseable> undo)
      throws IOException {
    return createUndoable(description, creation, undo).value();
  }

  /** What {@link #createUndoable} created, and the registration that undoes it. */
  public record Created<T>(T value, Registration registration) {}

  /**
   * As {@link #create}, for something undone before the program ends once it is no longer wanted:
   * closing the returned registration undoes it at once and forgets it.
   */
  public <T> Created<T> createUndoable(
      String description, Creation<T> creation, Function<? super T, AutoCloseable> undo)
      throws IOException {
    return createRegistered(
        description, creation, value -> new Registration(description, undo.apply(value)));
  }

  /**
   * {@link #create}'s mechanism: {@code registration} gives what undoes the created thing, added to
   * the pending registrations under the same lock.
   *
   * @param description what is refused once this cleanup has begun
   */
  private <T> Created<T> createRegistered(
      String description, Creation<T> creation, Function<? super T, Registration> registration)
      throws IOException {
    synchronized (pending) {
      if (closing) {
        throw new StoppingException("Not creating " + description + ": the program is stopping");
      }
      T created = creation.create();
      Registration undoing = registration.apply(created);
      pending.add(undoing);
      return new Created<>(created, undoing);
    }
  }

  /**
   * Closes {@code resource} when the returned registration is closed, when this cleanup is closed
   * or at exit, whichever comes first; at once if this cleanup has already begun.
   *
   * @param description what it is, for the log if closing fails
   */
  public Registration register(String description, AutoCloseable resource) {
    Registration registration = new Registration(description, resource);
    boolean late;
    synchronized (pending) {
      late = closing;
      if (!late) {
        pending.add(registration);
      }
    }
    if (late) {
      registration.close();
    }
    return registration;
  }

  /** Undoes everything still registered, newest first, and removes the shutdown hook. */
  @Override
  public void close() {
    runAll();
    if (hook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is shutting down: the hook is running or has run.
      }
    }
  }

  private void runAll() {
    List<Registration> newestFirst;
    synchronized (pending) {
      closing = true;
      newestFirst = new ArrayList<>(pending).reversed();
    }
    newestFirst.forEach(Registration::close);
  }
}
