package org.odahu.pack.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;

/**
 * {@link HttpPipelineBenchmark}'s requests measured in thread CPU time instead of wall time: on a
 * machine whose cores are shared, wall time counts the time the thread waited for a core, CPU time
 * does not. Prints the best of five rounds per API and route, in µs per request.
 *
 * <p>{@code java -cp benchmarks.jar org.odahu.pack.benchmarks.HttpPipelineCpuTime [requests]}
 */
public final class HttpPipelineCpuTime {
  private static final int ROUNDS = 5;

  private HttpPipelineCpuTime() {}

  /** Runs {@code args[0]} (default 100000) requests per round after as many to warm up. */
  public static void main(String[] args) {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (String route : List.of("invoke", "healthcheck")) {
      for (String api : List.of("odahu", "v2", "mlflow")) {
        HttpPipelineBenchmark benchmark = new HttpPipelineBenchmark();
        benchmark.route = route;
        benchmark.api = api;
        benchmark.start();
        try {
          run(benchmark, requests);
          double best = Double.MAX_VALUE;
          for (int round = 0; round < ROUNDS; round++) {
            long start = threads.getCurrentThreadCpuTime();
            run(benchmark, requests);
            best = Math.min(best, (threads.getCurrentThreadCpuTime() - start) / 1e3 / requests);
          }
          System.out.printf(Locale.ROOT, "%-7s %-12s %6.2f us/op (CPU)%n", api, route, best);
        } finally {
          benchmark.stop();
        }
      }
    }
  }

  private static void run(HttpPipelineBenchmark benchmark, int requests) {
    for (int i = 0; i < requests; i++) {
      benchmark.serve();
    }
  }
}
