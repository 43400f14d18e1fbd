#!/usr/bin/env python3
"""Start-up of odahu-pack, phase by phase, for one or more built distributions side by side.

For `serve` (wine and `simple`, one worker): wall seconds from process start to the Python worker's
spawn, to the port accepting connections, and to the first good prediction, and the process
tree's CPU seconds by then. For `--version`, `--help` and, on wine, `predict` of one row, `info` and
`gppi test`: wall and CPU seconds, the last three next to `python3 -c 'import sklearn, pandas'`
(the import baseline, taken in turns with them). Runs alternate between the distributions so a
change of the VM's load hits them alike; medians are reported.

  /usr/bin/python3 benchmarks/load/startup.py [--repeats 5] [--java-opts OPTS ...] [DIST ...]

DIST is a distribution directory (bin/odahu-pack inside); the default is cli/target/odahu-pack.
Copy one aside (cp -r cli/target/odahu-pack /tmp/before) to compare a change with what it replaced.
Each --java-opts (repeatable; ODAHU_PACK_JAVA_OPTS) makes a variant of every distribution, to
compare JVM settings: --java-opts '' --java-opts '-XX:TieredStopAtLevel=1'.
Each distribution is started once before measuring, so its class-data-sharing archives exist.
Writes benchmarks/results/startup-<time>.json.
"""
import argparse
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import compare
import proctree


def _has_python_child(pid):
    return any('python' in _cmdline(child) for child in proctree.tree(pid)[1:])


def _cmdline(pid):
    try:
        with open('/proc/%d/cmdline' % pid, 'rb') as f:
            return f.read().decode(errors='replace')
    except OSError:
        return ''


def serve_phases(launcher, java_opts, model, body):
    """Seconds to the worker's spawn, the bound port and the first prediction; CPU seconds by then."""
    port = compare.free_port()
    command = ['bash', launcher, 'serve', os.path.join(compare.ARTIFACTS, model), '--host', '127.0.0.1',
               '--port', str(port), '--workers', '1']
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True, env=_environment(java_opts))
    spawn = bound = None
    try:
        while time.monotonic() - started < 120:
            if process.poll() is not None:
                raise RuntimeError('%s exited with %s' % (launcher, process.returncode))
            elapsed = time.monotonic() - started
            if spawn is None and _has_python_child(process.pid):
                spawn = elapsed
            if bound is None:
                try:
                    socket.create_connection(('127.0.0.1', port), 0.05).close()
                    bound = elapsed
                except OSError:
                    pass
            if bound is not None:
                try:
                    compare.post(port, body, timeout=2)
                    return {'spawn_s': spawn, 'bound_s': bound, 'ready_s': time.monotonic() - started,
                            'cpu_s': proctree.cpu_seconds(process.pid)}
                except (OSError, ValueError):
                    pass
            time.sleep(0.005)
        raise RuntimeError('%s did not answer in 120 s' % launcher)
    finally:
        os.killpg(process.pid, 15)
        process.wait()


def _environment(java_opts):
    """The launcher's environment: ours, or with ODAHU_PACK_JAVA_OPTS set exactly (even to '')."""
    return None if java_opts is None else dict(os.environ, ODAHU_PACK_JAVA_OPTS=java_opts)


def command_cost(launcher, java_opts, *arguments):
    """Wall and CPU seconds of one run of the launcher with arguments (children's CPU included)."""
    return process_cost(['bash', launcher, *arguments], _environment(java_opts))


def process_cost(command, environment=None):
    """Wall and CPU seconds of one run of command (children's CPU included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=environment)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {'wall_s': wall, 'cpu_s': after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime}


def medians(runs):
    return {key: round(statistics.median(run[key] for run in runs if run[key] is not None), 3)
            for key in runs[0]}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--repeats', type=int, default=5, help='runs per distribution and case (default 5)')
    parser.add_argument('--java-opts', action='append', help='JVM options of a variant (repeatable)')
    parser.add_argument('dists', nargs='*', default=[os.path.dirname(os.path.dirname(compare.LAUNCHER))])
    args = parser.parse_args()
    java_opts = args.java_opts or [None]
    launchers = {dist + (' [%s]' % opts if len(java_opts) > 1 else ''): (os.path.join(dist, 'bin', 'odahu-pack'), opts)
                 for dist in args.dists for opts in java_opts}
    wine = open(compare.ONE_ROW, 'rb').read()
    wine_dir = os.path.join(compare.ARTIFACTS, 'wine')
    output = tempfile.mkdtemp(prefix='startup-predict-')
    cases = [('serve wine', lambda l: serve_phases(*l, 'wine', wine)),
             ('serve simple', lambda l: serve_phases(*l, 'simple', compare.SIMPLE_BODY)),
             ('--version', lambda l: command_cost(*l, '--version')),
             ('--help', lambda l: command_cost(*l, '--help')),
             ('predict wine', lambda l: command_cost(*l, 'predict', wine_dir, compare.ONE_ROW, output, '-q')),
             ('info wine', lambda l: command_cost(*l, 'info', wine_dir)),
             ('gppi test wine', lambda l: command_cost(*l, 'gppi', 'test', wine_dir))]
    baseline = []
    report = {'date': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()), 'repeats': args.repeats,
              'load_average_before': proctree.load_average(), 'results': {}}
    for name, case in cases:
        for launcher in launchers.values():
            case(launcher)  # writes the class-data-sharing archives; not measured
        runs = {dist: [] for dist in launchers}
        for _ in range(args.repeats):
            for dist, launcher in launchers.items():
                runs[dist].append(case(launcher))
            if name.endswith(' wine') and not name.startswith('serve'):
                baseline.append(process_cost([sys.executable, '-c', 'import sklearn, pandas']))
        for dist in launchers:
            result = medians(runs[dist])
            report['results'].setdefault(dist, {})[name] = result
            print('%-14s %-40s %s' % (name, dist, '  '.join('%s %.2f' % item for item in result.items())),
                  flush=True)
    report['import_baseline'] = medians(baseline)
    print('%-14s %s' % ('import', '  '.join('%s %.2f' % item for item in report['import_baseline'].items())))
    shutil.rmtree(output, ignore_errors=True)
    report['load_average_after'] = proctree.load_average()
    compare.save_report('startup', report)


if __name__ == '__main__':
    sys.exit(main())
