#!/usr/bin/python3
"""Side-by-side load comparison: odahu-pack's server against the Python reference server
(ODAHU's handler semantics under gunicorn + Flask), on the same wine artifact, in one run.

For each server: cold start (process start to first good prediction), resident memory, then wrk
(loopback only) at single-row concurrency 1, 16, 64 and a 100-row body at 16; for ours also the
bare /healthcheck at 64. Prints a table and writes benchmarks/results/load-<time>.json.

  benchmarks/load/compare.py [--duration 10] [--warmup 3] [--skip-reference-2w]

Needs: wrk, gunicorn, python3-flask (Debian), a built odahu-pack (mvn package).
"""
import argparse
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ARTIFACT = os.path.join(ROOT, 'examples', 'target', 'artifacts', 'wine')
ONE_ROW = os.path.join(ROOT, 'examples', 'data', 'wine-request.json')
HUNDRED_ROWS = os.path.join(ROOT, 'examples', 'data', 'wine-request-100.json')
WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open(os.getenv("BODY_FILE"), "r")
if f then wrk.body = f:read("*all"); f:close(); else wrk.method = "GET" end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
  io.write(string.format('WRKJSON {"requests": %d, "duration_us": %d, "errors": %d, "p50_us": %d, "p99_us": %d}\\n',
      summary.requests, summary.duration, errors, latency:percentile(50), latency:percentile(99)))
end
"""


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def post(port, body, timeout=5):
    request = urllib.request.Request('http://127.0.0.1:%d/api/model/invoke' % port, data=body,
                                     headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def rss_kib(pid):
    """Resident memory of a process and all its descendants, in KiB."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open('/proc/%d/status' % current) as status:
                for line in status:
                    if line.startswith('VmRSS:'):
                        total += int(line.split()[1])
            with open('/proc/%d/task/%d/children' % (current, current)) as children:
                pending.extend(int(child) for child in children.read().split())
        except OSError:
            pass
    return total


class Server:
    def __init__(self, name, command, env=None, cwd=None):
        self.name = name
        self.port = free_port()
        self.command = [part.replace('{port}', str(self.port)) for part in command]
        self.env = dict(os.environ, **(env or {}))
        self.cwd = cwd
        self.process = None

    def start(self):
        """Starts the server and returns seconds until the first good prediction."""
        body = open(ONE_ROW, 'rb').read()
        started = time.monotonic()
        self.process = subprocess.Popen(self.command, env=self.env, cwd=self.cwd, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        while time.monotonic() - started < 120:
            if self.process.poll() is not None:
                raise RuntimeError('%s exited with %s' % (self.name, self.process.returncode))
            try:
                self.prediction = post(self.port, body, timeout=2)
                return time.monotonic() - started
            except (urllib.error.URLError, ConnectionError, OSError, ValueError):
                time.sleep(0.01)
        raise RuntimeError('%s did not answer in 120 s' % self.name)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def wrk(port, path, body_file, connections, duration, script):
    env = dict(os.environ, BODY_FILE=body_file or '/nonexistent')
    threads = min(2, connections)
    output = subprocess.run(
        ['wrk', '-t%d' % threads, '-c%d' % connections, '-d%ds' % duration, '-s', script,
         'http://127.0.0.1:%d%s' % (port, path)], env=env, capture_output=True, text=True, check=True).stdout
    for line in output.splitlines():
        if line.startswith('WRKJSON '):
            result = json.loads(line[len('WRKJSON '):])
            result['rps'] = result['requests'] / (result['duration_us'] / 1e6)
            return result
    raise RuntimeError('no wrk summary in:\n' + output)


SCENARIOS = [
    ('invoke 1 row, c=1', '/api/model/invoke', ONE_ROW, 1),
    ('invoke 1 row, c=16', '/api/model/invoke', ONE_ROW, 16),
    ('invoke 1 row, c=64', '/api/model/invoke', ONE_ROW, 64),
    ('invoke 100 rows, c=16', '/api/model/invoke', HUNDRED_ROWS, 16),
]


def measure(server, scenarios, duration, warmup, script):
    cold = server.start()
    results = {'cold_start_s': round(cold, 3), 'prediction': server.prediction, 'scenarios': {}}
    try:
        for name, path, body, connections in scenarios:
            if warmup:
                wrk(server.port, path, body, connections, warmup, script)
            result = wrk(server.port, path, body, connections, duration, script)
            results['scenarios'][name] = result
            print('  %-28s %9.0f req/s  p50 %7.2f ms  p99 %7.2f ms  errors %d' % (
                name, result['rps'], result['p50_us'] / 1000, result['p99_us'] / 1000, result['errors']), flush=True)
        results['rss_mib'] = round(rss_kib(server.process.pid) / 1024, 1)
    finally:
        server.stop()
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--duration', type=int, default=10, help='seconds per measured wrk run (default 10)')
    parser.add_argument('--warmup', type=int, default=3, help='seconds of warm-up before each run (default 3)')
    parser.add_argument('--skip-reference-2w', action='store_true', help='skip the 2-worker reference variant')
    args = parser.parse_args()
    for tool in ('wrk', 'gunicorn'):
        if not shutil.which(tool):
            sys.exit('%s is missing: apt-get install wrk gunicorn python3-flask' % tool)
    launcher = os.path.join(ROOT, 'cli', 'target', 'odahu-pack', 'bin', 'odahu-pack')
    if not os.path.exists(launcher) or not os.path.isdir(ARTIFACT):
        sys.exit('build first: mvn -B package -DskipTests')
    script = tempfile.NamedTemporaryFile('w', suffix='.lua', delete=False)
    script.write(WRK_SCRIPT)
    script.close()

    ours = Server('odahu-pack', ['bash', launcher, 'serve', ARTIFACT, '--host', '127.0.0.1', '--port', '{port}',
                                 '--workers', '1', '--batching'])  # merging is opt-in; wine is row-wise
    reference_env = {'ODAHU_ARTIFACT': ARTIFACT, 'ODAHU_MODEL_NAME': 'wine', 'ODAHU_MODEL_VERSION': '1.0'}

    def reference(workers):
        return Server('reference %dw' % workers,
                      ['gunicorn', '--pythonpath', '%s,%s' % (ARTIFACT, os.path.dirname(__file__)), '--timeout', '60',
                       '-b', '127.0.0.1:{port}', '-w', str(workers), '--threads', '4', 'reference_server:app',
                       '--access-logfile', '-'], env=reference_env, cwd=ARTIFACT)

    report = {
        'machine': {'cpus': os.cpu_count(), 'platform': platform.platform(), 'python': platform.python_version()},
        'date': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()),
        'duration_s': args.duration, 'servers': {},
    }
    print('odahu-pack server (1 Python worker, batching on):', flush=True)
    report['servers']['odahu-pack'] = measure(
        ours, SCENARIOS + [('healthcheck, c=64', '/healthcheck', None, 64)], args.duration, args.warmup, script.name)
    print('reference: gunicorn + Flask, 1 worker x 4 threads (ODAHU defaults):', flush=True)
    report['servers']['reference-1w'] = measure(reference(1), SCENARIOS, args.duration, args.warmup, script.name)
    if not args.skip_reference_2w:
        print('reference: gunicorn + Flask, 2 workers x 4 threads:', flush=True)
        report['servers']['reference-2w'] = measure(reference(2), SCENARIOS, args.duration, args.warmup, script.name)
    os.unlink(script.name)

    ours_prediction = report['servers']['odahu-pack']['prediction']['prediction'][0]
    reference_prediction = report['servers']['reference-1w']['prediction']['prediction'][0]
    report['same_prediction'] = abs(ours_prediction - reference_prediction) < 1e-9
    print('\nSame wine prediction from both: %s (%r vs %r)' % (report['same_prediction'], ours_prediction,
                                                             reference_prediction))
    print_table(report)
    os.makedirs(os.path.join(ROOT, 'benchmarks', 'results'), exist_ok=True)
    path = os.path.join(ROOT, 'benchmarks', 'results', 'load-%s.json' % time.strftime('%Y%m%dT%H%M%SZ', time.gmtime()))
    with open(path, 'w') as out:
        json.dump(report, out, indent=2)
    print('\nSaved %s' % path)
    if not report['same_prediction']:
        sys.exit('the servers disagree on the wine prediction')


def print_table(report):
    servers = report['servers']
    ours = servers['odahu-pack']
    print('\n| scenario | odahu-pack req/s | p50 ms | p99 ms | reference 1w req/s | p50 ms | p99 ms | ratio |'
          + (' reference 2w req/s | ratio |' if 'reference-2w' in servers else ''))
    print('|---|---:|---:|---:|---:|---:|---:|---:|' + ('---:|---:|' if 'reference-2w' in servers else ''))
    for name, result in ours['scenarios'].items():
        row = '| %s | %.0f | %.2f | %.2f |' % (name, result['rps'], result['p50_us'] / 1000, result['p99_us'] / 1000)
        reference = servers['reference-1w']['scenarios'].get(name)
        if reference:
            row += ' %.0f | %.2f | %.2f | %.1fx |' % (reference['rps'], reference['p50_us'] / 1000,
                                                     reference['p99_us'] / 1000, result['rps'] / reference['rps'])
        else:
            row += ' - | - | - | - |'
        if 'reference-2w' in servers:
            two = servers['reference-2w']['scenarios'].get(name)
            row += (' %.0f | %.1fx |' % (two['rps'], result['rps'] / two['rps'])) if two else ' - | - |'
        print(row)
    line = '| cold start (start to first prediction) | %.2f s | | | %.2f s | | | |' % (
        ours['cold_start_s'], servers['reference-1w']['cold_start_s'])
    print(line + (' %.2f s | |' % servers['reference-2w']['cold_start_s'] if 'reference-2w' in servers else ''))
    line = '| resident memory after the runs | %.0f MiB | | | %.0f MiB | | | |' % (
        ours['rss_mib'], servers['reference-1w']['rss_mib'])
    print(line + (' %.0f MiB | |' % servers['reference-2w']['rss_mib'] if 'reference-2w' in servers else ''))
    single64 = ours['scenarios']['invoke 1 row, c=64']['rps']
    health = ours['scenarios']['healthcheck, c=64']['rps']
    print('\nSingle-row invoke at c=64 is %.0f%% of the bare /healthcheck throughput (%.0f req/s).' % (
        100 * single64 / health, health))


if __name__ == '__main__':
    main()
