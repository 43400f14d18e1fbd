#!/usr/bin/python3
"""Throughput from the first second on: a fresh server (wine) takes 1 row at c=64 at once, and wrk
reports each consecutive window, for JVM settings compared in turns. A setting that starts the
server sooner may leave it slower while its code is still being compiled; compare.py, which warms
every server up first, cannot see that.

  benchmarks/load/warmup.py [--merging on|off] [--windows 8] [--window 5] [--pairs 3]
                            --java-opts '' --java-opts '-XX:...'

--merging on is one Python worker with --batching; off is the default, two workers. Each setting
starts --pairs times, the order alternating. Writes benchmarks/results/warmup-<time>.json.
"""
import argparse
import os
import statistics
import sys
import time

import compare
import proctree


def windows(java_opts, args, script):
    workers, merging = (1, True) if args.merging == 'on' else (2, False)
    server = compare.ours('wine', workers, merging, java_opts=java_opts)
    server.start(open(compare.ONE_ROW, 'rb').read())
    try:
        return [compare.wrk(server.port, '/api/model/invoke', compare.ONE_ROW, 64, args.window, script)['rps']
                for _ in range(args.windows)]
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--merging', choices=('on', 'off'), default='on')
    parser.add_argument('--windows', type=int, default=8, help='consecutive wrk runs per start (default 8)')
    parser.add_argument('--window', type=int, default=5, help='seconds per wrk run (default 5)')
    parser.add_argument('--pairs', type=int, default=3, help='starts per setting (default 3)')
    parser.add_argument('--java-opts', action='append', required=True, help='JVM options of a setting (repeatable)')
    args = parser.parse_args()
    script = compare.wrk_script()
    report = {'date': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()), 'merging': args.merging,
              'window_s': args.window, 'load_average_before': proctree.load_average(), 'results': {}}
    runs = {opts: [] for opts in args.java_opts}
    try:
        for turn in range(args.pairs):
            for opts in args.java_opts if turn % 2 == 0 else reversed(args.java_opts):
                runs[opts].append(windows(opts, args, script))
                print('%-60s %s' % (repr(opts), ' '.join('%7.0f' % rate for rate in runs[opts][-1])), flush=True)
    finally:
        os.unlink(script)
    for opts, starts in runs.items():
        means = [round(statistics.mean(column)) for column in zip(*starts)]
        report['results'][opts] = {'req_per_s': starts, 'mean_per_window': means}
        print('%-60s %s  (mean)' % (repr(opts), ' '.join('%7.0f' % rate for rate in means)))
    report['load_average_after'] = proctree.load_average()
    compare.save_report('warmup', report)


if __name__ == '__main__':
    sys.exit(main())
