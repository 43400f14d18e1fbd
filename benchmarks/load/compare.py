#!/usr/bin/python3
"""Side-by-side load comparison: odahu-pack's server against the Python reference server
(ODAHU's handler under gunicorn + Flask, as ODAHU's docker-rest image runs it), on the same wine
artifact, in one run.

Servers, each started fresh; the three 1-worker servers run at the same time, as do the two
2-worker ones, idle but for the one under load, and take each scenario in turn, back to back:
  ours 1w, merging on   1 Python worker, --batching        every scenario below
  ours 1w, ndarray      the same with --input-matrix ndarray 100 rows at c=16
  reference 1w x 4t     ODAHU's defaults (-w 1 --threads 4) every scenario below
  ours 2w, merging off  2 Python workers, the default      1 row at c=1 and c=64
  reference 2w x 4t     -w 2 --threads 4                   1 row at c=1 and c=64
Scenarios (wrk on loopback): 1 row at c=1, 16, 64; 100 rows at c=16; bare /healthcheck at c=64.
Each server first gets 2 x --warmup seconds of 1 row at c=16, then each scenario its own warm-up
(3 x --warmup for a server's first scenario), extended by --warmup seconds at a time, up to
MAX_WARMUP_S more, while the JVM's JIT compilers spent over 5 % of a CPU in the last stretch: a new
load pattern (64 connections after 1) set C2 compiling for ~16-24 s, 20-40 % of a CPU, which a fixed
3 s warm-up left inside the measured run. CPython has no compiler threads: its warm-up is never
extended. The seconds each scenario was warmed are in the results.
Per scenario: req/s, p50, p99 and the CPU time the server's whole process tree spent per request.
Per server: cold start (process start to the first good prediction, median of --cold-repeats
starts taken in turns with the reference's, also for the trivial `simple` model) and memory of the
whole process tree after the runs (RSS; PSS, which splits pages shared between processes, is in
the results but not in the table: it would split pages with the other servers that are up). The
model's own CPU cost per call is timed in a bare Python process, so the table can show the cost of
everything around it.

  benchmarks/load/compare.py [--duration 10] [--warmup 3] [--short] [--nmt] [--java-opts OPTS]

--short is a smoke test (2 s runs, 1 s warm-up, one cold start each). --nmt starts our JVM with
native memory tracking and adds its summary (heap, metaspace, code cache, threads, ...) to the
results. Writes benchmarks/results/load-<time>.json. Needs: wrk, gunicorn, python3-flask (Debian),
a built odahu-pack (mvn package) and the example artifacts.
"""
import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import proctree
import report_table

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ARTIFACTS = os.path.join(ROOT, 'examples', 'target', 'artifacts')
ONE_ROW = os.path.join(ROOT, 'examples', 'data', 'wine-request.json')
HUNDRED_ROWS = os.path.join(ROOT, 'examples', 'data', 'wine-request-100.json')
SIMPLE_BODY = b'{"columns": ["a", "b"], "data": [[1, 2]]}'
LAUNCHER = os.path.join(ROOT, 'cli', 'target', 'odahu-pack', 'bin', 'odahu-pack')
WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local path = os.getenv("BODY_FILE")
local f = path and io.open(path, "r")
if f then wrk.body = f:read("*all"); f:close(); else wrk.method = "GET" end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
  io.write(string.format('WRKJSON {"requests": %d, "duration_us": %d, "errors": %d, "p50_us": %d, "p99_us": %d}\\n',
      summary.requests, summary.duration, errors, latency:percentile(50), latency:percentile(99)))
end
"""
ALL = [
    ('1 row, c=1', '/api/model/invoke', ONE_ROW, 1),
    ('1 row, c=16', '/api/model/invoke', ONE_ROW, 16),
    ('1 row, c=64', '/api/model/invoke', ONE_ROW, 64),
    ('100 rows, c=16', '/api/model/invoke', HUNDRED_ROWS, 16),
    ('healthcheck, c=64', '/healthcheck', None, 64),
]
MERGING_OFF = [scenario for scenario in ALL if scenario[0] in ('1 row, c=1', '1 row, c=64')]
HUNDRED_ONLY = [scenario for scenario in ALL if scenario[0] == '100 rows, c=16']


def wrk_script():
    """Writes wrk's Lua script (a POST of $BODY_FILE) to a temporary file; the caller removes it."""
    with tempfile.NamedTemporaryFile('w', suffix='.lua', delete=False) as script:
        script.write(WRK_SCRIPT)
    return script.name


def save_report(kind, report):
    """Writes report to benchmarks/results/<kind>-<UTC time>.json and says where."""
    os.makedirs(os.path.join(ROOT, 'benchmarks', 'results'), exist_ok=True)
    path = os.path.join(ROOT, 'benchmarks', 'results',
                        '%s-%s.json' % (kind, time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())))
    with open(path, 'w') as out:
        json.dump(report, out, indent=2)
    print('Saved %s' % path)


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def post(port, body, timeout=5):
    request = urllib.request.Request('http://127.0.0.1:%d/api/model/invoke' % port, data=body,
                                     headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


class Server:
    def __init__(self, name, command, env=None, cwd=None):
        self.name = name
        self.port = free_port()
        self.command = [part.replace('{port}', str(self.port)) for part in command]
        self.env = dict(os.environ, **(env or {}))
        self.cwd = cwd
        self.process = None
        self.prediction = None

    def start(self, body):
        """Starts the server and returns seconds until the first good prediction of body."""
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
                time.sleep(0.005)
        raise RuntimeError('%s did not answer in 120 s' % self.name)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def ours(model, workers, merging, java_opts='', extra=(), launcher=LAUNCHER):
    command = ['bash', launcher, 'serve', os.path.join(ARTIFACTS, model), '--host', '127.0.0.1', '--port', '{port}',
               '--workers', str(workers)] + (['--batching'] if merging else []) + list(extra)
    return Server('odahu-pack', command, env={'ODAHU_PACK_JAVA_OPTS': java_opts} if java_opts else None)


def reference(model, workers):
    """Started as ODAHU's docker-rest image starts it (spec 3.4): gunicorn, the artifact on the path."""
    artifact = os.path.join(ARTIFACTS, model)
    env = {'ODAHU_ARTIFACT': artifact, 'ODAHU_MODEL_NAME': model, 'ODAHU_MODEL_VERSION': '1.0'}
    return Server('reference', ['gunicorn', '--pythonpath', '%s,%s' % (artifact, os.path.dirname(__file__)),
                                '--timeout', '60', '-b', '127.0.0.1:{port}', '-w', str(workers), '--threads', '4',
                                'reference_server:app', '--access-logfile', '-'], env=env, cwd=artifact)


def wrk(port, path, body_file, connections, duration, script):
    """wrk's summary of POSTing body_file, or of GETs without one."""
    env = {name: value for name, value in os.environ.items() if name != 'BODY_FILE'}
    if body_file:
        with open(body_file, 'rb'):  # an unreadable body would turn the script's POSTs into GETs
            env['BODY_FILE'] = body_file
    output = subprocess.run(
        ['wrk', '-t%d' % min(2, connections), '-c%d' % connections, '-d%ds' % duration, '-s', script,
         'http://127.0.0.1:%d%s' % (port, path)], env=env, capture_output=True, text=True, check=True).stdout
    for line in output.splitlines():
        if line.startswith('WRKJSON '):
            result = json.loads(line[len('WRKJSON '):])
            result['rps'] = result['requests'] / (result['duration_us'] / 1e6)
            return result
    raise RuntimeError('no wrk summary in:\n' + output)


def jcmd(pid, *command):
    """What `jcmd PID COMMAND...` prints, with the JDK of $JAVA_HOME (the launcher's; the jcmd on the PATH
    may belong to an older one)."""
    java_home = os.environ.get('JAVA_HOME')
    tool = os.path.join(java_home, 'bin', 'jcmd') if java_home else 'jcmd'
    return subprocess.run([tool, str(pid)] + list(command), capture_output=True, text=True).stdout


def native_memory(pid):
    """Committed KiB per category from the JVM's native memory tracking, or None."""
    output = jcmd(pid, 'VM.native_memory', 'summary', 'scale=KB')
    categories = {}
    for match in re.finditer(r'^-\s+(.+?) \(reserved=\d+KB, committed=(\d+)KB', output, re.M):
        categories[match.group(1).strip()] = int(match.group(2))
    return categories or None


MAX_WARMUP_S = 30
JIT_SETTLED = 0.05  # the compilers' share of one CPU below which a warm-up ends


def warm_up(server, path, body, connections, seconds, args, script):
    """Runs the scenario for `seconds`, then more until the JIT compilers settle; returns the seconds."""
    limit, total = seconds + MAX_WARMUP_S, 0
    while True:
        before = proctree.compiler_seconds(server.process.pid)
        wrk(server.port, path, body, connections, seconds, script)
        total += seconds
        spent = proctree.compiler_seconds(server.process.pid) - before
        if spent <= JIT_SETTLED * seconds or total >= limit:
            return total
        seconds = args.warmup


def run_scenario(server, scenario, first, args, script):
    """Warms the server up on the scenario (longer if it is the server's first), then measures it."""
    name, path, body, connections = scenario
    warmed = 0
    if args.warmup:  # the first scenario's paths are new to the compilers: a longer warm-up
        warmed = warm_up(server, path, body, connections, (3 if first else 1) * args.warmup, args, script)
    pid = server.process.pid
    cpu_before, main_before = proctree.cpu_seconds(pid), proctree.cpu_seconds(pid, main_only=True)
    compilers_before = proctree.compiler_seconds(pid)
    result = wrk(server.port, path, body, connections, args.duration, script)
    if result['errors']:
        # Every earlier run answered every request: errors mean something else was measured (until
        # 5 December /healthcheck got POSTs, and 405s, wherever a directory /nonexistent existed).
        raise RuntimeError('%s: %d of %d requests to %s failed (wrk: connect, read, write, timeout or a '
                           'non-2xx/3xx status); not a valid measurement' % (
                               name, result['errors'], result['requests'], server.name))
    result['warmup_s'] = warmed
    result['compiler_cpu_s'] = round(proctree.compiler_seconds(pid) - compilers_before, 2)
    requests = max(1, result['requests'])
    result['cpu_us_per_request'] = round(1e6 * (proctree.cpu_seconds(pid) - cpu_before) / requests, 1)
    # the root process (our JVM, gunicorn's master); the rest is the Python workers'
    result['main_cpu_us_per_request'] = round(
        1e6 * (proctree.cpu_seconds(pid, main_only=True) - main_before) / requests, 1)
    return result


def measure(entries, args, script):
    """Runs the entries' scenarios, each entry (key, label, server, scenarios) on its own server.

    The servers are started one after the other and then all stay up, idle but for the one under
    load: each scenario runs on every server that has it back to back, the order alternating from
    one scenario to the next, so that this VM's changes of speed (tens of percent within minutes)
    hit both sides of a ratio alike. Returns key -> cold start, prediction, scenarios, memory."""
    results = {}
    try:
        for key, label, server, _ in entries:
            cold = server.start(open(ONE_ROW, 'rb').read())
            print('%s: started in %.2f s' % (label, cold), flush=True)
            results[key] = {'cold_start_s': round(cold, 3), 'prediction': server.prediction, 'scenarios': {}}
            if args.warmup:  # every server alike: the JVM's compilers finish before the first measured row
                wrk(server.port, '/api/model/invoke', ONE_ROW, 16, 2 * args.warmup, script)
        names = []
        for _, _, _, scenarios in entries:
            names += [scenario[0] for scenario in scenarios if scenario[0] not in names]
        for index, name in enumerate(names):
            turn = [entry for entry in entries if any(scenario[0] == name for scenario in entry[3])]
            for key, label, server, scenarios in (turn if index % 2 == 0 else reversed(turn)):
                scenario = next(scenario for scenario in scenarios if scenario[0] == name)
                result = run_scenario(server, scenario, not results[key]['scenarios'], args, script)
                results[key]['scenarios'][name] = result
                print('  %-20s %9.0f req/s  p50 %7.2f ms  p99 %7.2f ms  cpu %6.0f us/req (root %5.0f)  errors %d'
                      '  (warm-up %d s, JIT %.2f s)  %s' % (
                          name, result['rps'], result['p50_us'] / 1000, result['p99_us'] / 1000,
                          result['cpu_us_per_request'], result['main_cpu_us_per_request'], result['errors'],
                          result['warmup_s'], result['compiler_cpu_s'], label), flush=True)
        for key, label, server, _ in entries:
            results[key]['memory'] = proctree.memory(server.process.pid)
            if args.nmt and server.name == 'odahu-pack':
                results[key]['native_memory_kib'] = native_memory(server.process.pid)
            print('  memory after the runs, %s: %s' % (label, results[key]['memory']), flush=True)
    finally:
        for _, _, server, _ in entries:
            server.stop()
    return results


def cold_starts(cases, repeats):
    """Wall time and the process tree's CPU time from process start to the first prediction, per case
    (name -> (make a server, body)). The cases take turns, so a change of the VM's load hits them alike:
    run one after the other, the same build's median moved by 0.15 s."""
    times, cpu = {name: [] for name in cases}, {name: [] for name in cases}
    for _ in range(repeats):
        for name, (make, body) in cases.items():
            server = make()
            try:
                times[name].append(server.start(body))
                cpu[name].append(proctree.cpu_seconds(server.process.pid))
            finally:
                server.stop()
    return {name: {'median_s': round(statistics.median(times[name]), 3),
                   'all_s': [round(t, 3) for t in times[name]],
                   'median_cpu_s': round(statistics.median(cpu[name]), 3)} for name in cases}


def model_cost_us(model, body_file, calls=300):
    """CPU microseconds of one predict_on_matrix call on the body, in a bare Python process."""
    code = '''
import json, os, sys, time
sys.path.insert(0, sys.argv[1]); os.environ.setdefault('MODEL_LOCATION', sys.argv[1] + '/odahuflow_model')
import odahuflow_model.entrypoint as e
e.init(); body = json.load(open(sys.argv[2]))
for _ in range(20): e.predict_on_matrix(body['data'], provided_columns_names=body.get('columns'))
start = time.process_time()
for _ in range(int(sys.argv[3])): e.predict_on_matrix(body['data'], provided_columns_names=body.get('columns'))
print((time.process_time() - start) / int(sys.argv[3]) * 1e6)
'''
    artifact = os.path.join(ARTIFACTS, model)
    output = subprocess.run([sys.executable, '-c', code, artifact, body_file, str(calls)], cwd=artifact,
                            capture_output=True, text=True, check=True).stdout
    return round(float(output.split()[-1]), 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--duration', type=int, default=10, help='seconds per measured wrk run (default 10)')
    parser.add_argument('--warmup', type=int, default=3, help='seconds of warm-up before each run (default 3)')
    parser.add_argument('--cold-repeats', type=int, default=5, help='cold starts per server and model (default 5)')
    parser.add_argument('--short', action='store_true', help='smoke test: 2 s runs, 1 s warm-up, 1 cold start')
    parser.add_argument('--nmt', action='store_true', help="add the JVM's native memory summary (small overhead)")
    parser.add_argument('--java-opts', default='', help='extra JVM options for our server (ODAHU_PACK_JAVA_OPTS)')
    args = parser.parse_args()
    if args.short:
        args.duration, args.warmup, args.cold_repeats = 2, 1, 1
    java_opts = (args.java_opts + (' -XX:NativeMemoryTracking=summary' if args.nmt else '')).strip()
    for tool in ('wrk', 'gunicorn'):
        if not shutil.which(tool):
            sys.exit('%s is missing: apt-get install wrk gunicorn python3-flask' % tool)
    if not os.path.exists(LAUNCHER) or not os.path.isdir(os.path.join(ARTIFACTS, 'wine')):
        sys.exit('build first: mvn -B package -DskipTests')
    script = wrk_script()

    report = {
        'machine': {'cpus': os.cpu_count(), 'platform': platform.platform(), 'python': platform.python_version(),
                    'load_average_before': proctree.load_average()},
        'date': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()),
        'duration_s': args.duration, 'warmup_s': args.warmup, 'java_opts': java_opts, 'servers': {},
        'servers_together': True,
    }
    servers = report['servers']
    try:
        servers.update(measure([
            ('ours-1w-merging', 'odahu-pack, 1 Python worker, merging on', ours('wine', 1, True, java_opts), ALL),
            ('ours-1w-merging-ndarray', 'odahu-pack, 1 Python worker, merging on, --input-matrix ndarray',
             ours('wine', 1, True, java_opts, ['--input-matrix', 'ndarray']), HUNDRED_ONLY),
            ('reference-1w', 'reference: gunicorn + Flask, 1 worker x 4 threads (ODAHU defaults)',
             reference('wine', 1), ALL),
        ], args, script))
        servers.update(measure([
            ('ours-2w-off', 'odahu-pack, 2 Python workers, merging off (the default)',
             ours('wine', 2, False, java_opts), MERGING_OFF),
            ('reference-2w', 'reference: gunicorn + Flask, 2 workers x 4 threads', reference('wine', 2), MERGING_OFF),
        ], args, script))
        print('cold starts (%d each) and the model alone:' % args.cold_repeats, flush=True)
        wine = open(ONE_ROW, 'rb').read()
        report['cold_start'] = cold_starts({
            'ours wine': (lambda: ours('wine', 1, False, java_opts), wine),
            'reference wine': (lambda: reference('wine', 1), wine),
            'ours simple': (lambda: ours('simple', 1, False, java_opts), SIMPLE_BODY),
            'reference simple': (lambda: reference('simple', 1), SIMPLE_BODY),
        }, args.cold_repeats)
        report['model_cpu_us_per_call'] = {'wine 1 row': model_cost_us('wine', ONE_ROW),
                                           'wine 100 rows': model_cost_us('wine', HUNDRED_ROWS, 100)}
    finally:
        os.unlink(script)
    report['machine']['load_average_after'] = proctree.load_average()

    ours_prediction = servers['ours-1w-merging']['prediction']['prediction'][0]
    reference_prediction = servers['reference-1w']['prediction']['prediction'][0]
    report['same_prediction'] = abs(ours_prediction - reference_prediction) < 1e-9
    print('\nSame wine prediction from both: %s (%r vs %r)' % (report['same_prediction'], ours_prediction,
                                                             reference_prediction))
    print(report_table.markdown(report))
    save_report('load', report)
    if not report['same_prediction']:
        sys.exit('the servers disagree on the wine prediction')


if __name__ == '__main__':
    main()
