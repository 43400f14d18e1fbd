#!/usr/bin/env python3
"""Resident memory of our server's JVM under sustained load with requests of 1, 100 and 1,000 rows.

compare.py measures memory after short runs; this one watches the JVM while the load goes on: its
resident memory and its old generation (committed and used, from `jcmd GC.heap_info`) after each of
--runs wrk runs of --duration seconds. With survivor spaces too small for what requests in flight
hold, the serial collector promotes them and grows the old generation towards -Xmx before it ever
collects it.

  /usr/bin/python3 benchmarks/load/heap_growth.py [--runs 3] [--duration 10] [--case NAME] [DIST ...]

DIST is a distribution directory (bin/odahu-pack inside); the default is cli/target/odahu-pack. Runs
take turns between distributions. Writes benchmarks/results/heap-<time>.json.
"""
import argparse
import os
import re
import sys
import time

import compare
import proctree

CASES = [
    ('1 row, c=64', compare.ONE_ROW, 64),
    ('100 rows, c=64', compare.HUNDRED_ROWS, 64),
    ('1,000 rows, c=16', os.path.join(compare.ROOT, 'examples', 'data', 'wine-request-1000.json'), 16),
]
TENURED = re.compile(r'Tenured\s+total (\d+)K, used (\d+)K')


def old_generation_kib(pid):
    """(committed, used) KiB of the serial collector's old generation."""
    output = compare.jcmd(pid, 'GC.heap_info')
    match = TENURED.search(output)
    if not match:
        raise RuntimeError('no serial old generation in: %s' % output)
    return int(match.group(1)), int(match.group(2))


def watch(dist, body_file, connections, args, script):
    server = compare.ours('wine', 1, True, launcher=os.path.join(dist, 'bin', 'odahu-pack'))
    server.start(open(compare.ONE_ROW, 'rb').read())
    runs = []
    try:
        for _ in range(args.runs):
            result = compare.wrk(server.port, '/api/model/invoke', body_file, connections, args.duration, script)
            committed, used = old_generation_kib(server.process.pid)
            runs.append({'rps': result['rps'], 'errors': result['errors'],
                         'jvm_rss_mib': proctree.memory(server.process.pid)['main_rss_mib'],
                         'old_committed_mib': round(committed / 1024, 1), 'old_used_mib': round(used / 1024, 1)})
    finally:
        server.stop()
    return runs


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--runs', type=int, default=3, help='wrk runs per case (default 3)')
    parser.add_argument('--duration', type=int, default=10, help='seconds per wrk run (default 10)')
    parser.add_argument('--case', action='append', choices=[case[0] for case in CASES],
                        help='only this case (repeatable; default all)')
    parser.add_argument('dists', nargs='*', default=[os.path.dirname(os.path.dirname(compare.LAUNCHER))])
    args = parser.parse_args()
    script = compare.wrk_script()
    report = {'date': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()), 'duration_s': args.duration,
              'load_average_before': proctree.load_average(), 'results': {}}
    try:
        for name, body_file, connections in [case for case in CASES if not args.case or case[0] in args.case]:
            for dist in args.dists:
                runs = watch(dist, body_file, connections, args, script)
                report['results'].setdefault(dist, {})[name] = runs
                print('%-18s %-40s %s' % (name, dist, '  '.join(
                    '%.0f req/s rss %.0f MiB old %.0f/%.0f MiB' % (
                        run['rps'], run['jvm_rss_mib'], run['old_used_mib'], run['old_committed_mib'])
                    for run in runs)), flush=True)
    finally:
        os.unlink(script)
    report['load_average_after'] = proctree.load_average()
    compare.save_report('heap', report)


if __name__ == '__main__':
    sys.exit(main())
