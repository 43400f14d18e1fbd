package org.odahu.pack.server;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;

/**
 * Takes SIGTERM, SIGINT and SIGHUP (a closed terminal; left alone where ignored, as under nohup)
 * from the JVM, whose own handling runs the shutdown hooks and then exits with 128 + the signal
 * number: a server that stops gracefully on SIGTERM should exit 0, and only {@code Runtime.halt}
 * could change the status from a hook (skipping the other hooks). {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}) is reached reflectively because javac warns on every use of it.
 */
public final class StopSignals {
  private static final System.Logger LOG = System.getLogger(StopSignals.class.getName());

  private StopSignals() {}

  /**
   * Runs {@code onSignal} with the signal's name ({@code TERM}, {@code INT} or {@code HUP}) on the
   * JVM's signal thread for SIGTERM, SIGINT and SIGHUP instead of exiting.
   *
   * @return false where the signals cannot be taken (no {@code jdk.unsupported}, {@code -Xrs}): the
   *     JVM keeps its own handling (shutdown hooks, then exit)
   */
  public static boolean handle(Consumer<String> onSignal) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Method name = signal.getMethod("getName");
      Object onAnySignal =
          Proxy.newProxyInstance(
              StopSignals.class.getClassLoader(),
              new Class<?>[] {handler},
              (proxy, method, args) -> {
                if (method.getDeclaringClass() == Object.class) {
                  return method.invoke(onSignal, args);
                }
                onSignal.accept((String) name.invoke(args[0]));
                return null;
              });
      for (String signalName : new String[] {"TERM", "INT", "HUP"}) {
        Object instance = signal.getConstructor(String.class).newInstance(signalName);
        signal.getMethod("handle", signal, handler).invoke(null, instance, onAnySignal);
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
      LOG.log(
          System.Logger.Level.DEBUG,
          "Stop signals stay with the JVM (exit status 143 on SIGTERM): {0}",
          String.valueOf(cause));
      return false;
    }
  }
}
