"""Batch prediction: rows/s and peak resident memory (the process and all its children).

Generates wine files of the given sizes from examples/data/wine-quality.csv, then runs, in the same
session: odahu-pack's `invoke predict` (the docker-cli entrypoint) on JSON Lines with 1 and 2
workers, and ODAHU's invoker (odahu_invoke.py, the whole file in one call) on ODAHU's JSON.
Resident memory is sampled every 50 ms over the process tree (sum of VmRSS); the peak is reported.

usage: /usr/bin/python3 benchmarks/batch/measure.py CLASSPATH_FILE [--rows 1000000 ...]
       [--chunk-rows 10000] [--skip-odahu] [--workers 1 2] [--input-matrix lists ndarray]
       [--java-options '...'] [--old-classes DIR]

CLASSPATH_FILE holds serving-runtime's runtime class path (colon-separated), e.g. from
mvn -o -q -pl serving-runtime -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=runtime
"""
import argparse
import csv
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JAVA = '/usr/lib/jvm/temurin-25-jdk-amd64/bin/java'
PYTHON = '/usr/bin/python3'
MODEL = os.path.join(ROOT, 'examples/target/artifacts/wine/odahuflow_model')


def wine_rows():
    with open(os.path.join(ROOT, 'examples/data/wine-quality.csv')) as f:
        reader = csv.reader(f)
        header = next(reader)
        q = header.index('quality')
        rows = [[v for i, v in enumerate(r) if i != q] for r in reader]
    return [h for i, h in enumerate(header) if i != q], rows


def generate(directory, count):
    columns, rows = wine_rows()
    jsonl = os.path.join(directory, f'wine-{count}.jsonl')
    odahu = os.path.join(directory, f'wine-{count}.json')
    lines = ['{' + ', '.join(f'"{c}": {v}' for c, v in zip(columns, r)) + '}\n' for r in rows]
    with open(jsonl, 'w') as f:
        for i in range(count):
            f.write(lines[i % len(lines)])
    with open(odahu, 'w') as f:
        f.write('{"columns": ' + json.dumps(columns) + ', "data": [')
        for i in range(count):
            f.write((', ' if i else '') + '[' + ', '.join(rows[i % len(rows)]) + ']')
        f.write(']}')
    return jsonl, odahu


def tree_rss_kib(pid, cpu):
    """Sum of VmRSS of pid and its descendants, in KiB; records each one's CPU seconds in cpu."""
    children = {}
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            try:
                with open(f'/proc/{entry}/stat') as f:
                    parent = int(f.read().rsplit(')', 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            with open(f'/proc/{p}/stat') as f:
                fields = f.read().rsplit(')', 1)[1].split()
            cpu[p] = (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')
            with open(f'/proc/{p}/status') as f:
                for line in f:
                    if line.startswith('VmRSS:'):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def run(command, env=None):
    start = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    peak, cpu = 0, {}
    while process.poll() is None:
        peak = max(peak, tree_rss_kib(process.pid, cpu))
        time.sleep(0.05)
    elapsed = time.monotonic() - start
    # CPU seconds as last sampled (up to 50 ms short): on a shared machine rows per CPU-second
    # is steadier than rows per wall-clock second.
    run.cpu_seconds = sum(cpu.values())
    output = process.stdout.read().decode()
    if process.returncode != 0:
        raise SystemExit(f'{command} failed ({process.returncode}):\n{output}')
    return elapsed, peak / 1024, output


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('classpath_file')
    parser.add_argument('--rows', type=int, nargs='+', default=[1_000_000])
    parser.add_argument('--chunk-rows', type=int, default=10_000)
    parser.add_argument('--workers', type=int, nargs='+', default=[1, 2])
    parser.add_argument('--input-matrix', nargs='+', default=['lists'], choices=['lists', 'ndarray'],
                        help="odahu-pack's --input-matrix values to run (default: lists, as ODAHU)")
    parser.add_argument('--skip-odahu', action='store_true')
    parser.add_argument('--java-options', default='-Xmx1g -XX:+UseSerialGC -Xmn24m',
                        help="odahu-pack's JVM options (default: as the launcher's predict and the"
                             " docker-cli image start it)")
    parser.add_argument('--old-classes',
                        help='classes of the engine before issue 18 (org.odahu.pack.server.batch,'
                             ' whole file in memory, one call), run on ODAHU JSON with the JVM'
                             "'s default heap")
    args = parser.parse_args()
    with open(args.classpath_file) as f:
        classpath = os.path.join(ROOT, 'serving-runtime/target/classes') + ':' + f.read().strip()
    results = []
    with tempfile.TemporaryDirectory() as directory:
        for count in args.rows:
            jsonl, odahu = generate(directory, count)
            for workers in args.workers:
                for matrix in args.input_matrix:
                    command = [JAVA, *args.java_options.split(), '-cp', classpath,
                               'org.odahu.pack.batch.InvokeMain', '--python', PYTHON,
                               '--model', MODEL, 'predict', '-q', '--workers', str(workers),
                               '--chunk-rows', str(args.chunk_rows), '--input-matrix', matrix, jsonl, directory]
                    elapsed, peak, _ = run(command)
                    results.append({'engine': 'odahu-pack', 'input': 'jsonl', 'rows': count,
                                    'workers': workers, 'chunk_rows': args.chunk_rows, 'input_matrix': matrix,
                                    'seconds': round(elapsed, 2),
                                    'rows_per_s': round(count / elapsed),
                                    'cpu_s': round(run.cpu_seconds, 1),
                                    'peak_rss_mib': round(peak)})
                    print(json.dumps(results[-1]), flush=True)
            if args.old_classes:
                command = [JAVA, '-cp', args.old_classes + ':' + classpath,
                           'org.odahu.pack.server.batch.InvokeMain', '--python', PYTHON,
                           '--model', MODEL, 'predict', odahu, directory]
                elapsed, peak, _ = run(command)
                results.append({'engine': 'odahu-pack before', 'input': 'json', 'rows': count,
                                'workers': 1, 'seconds': round(elapsed, 2),
                                'rows_per_s': round(count / elapsed),
                                'cpu_s': round(run.cpu_seconds, 1), 'peak_rss_mib': round(peak)})
                print(json.dumps(results[-1]), flush=True)
            if not args.skip_odahu:
                out = os.path.join(directory, 'odahu-results.json')
                elapsed, peak, _ = run([PYTHON, os.path.join(ROOT, 'benchmarks/batch/odahu_invoke.py'),
                                        MODEL, 'entrypoint', odahu, out])
                results.append({'engine': 'odahu invoker', 'input': 'json', 'rows': count,
                                'workers': 1, 'seconds': round(elapsed, 2),
                                'rows_per_s': round(count / elapsed),
                                'cpu_s': round(run.cpu_seconds, 1), 'peak_rss_mib': round(peak)})
                print(json.dumps(results[-1]), flush=True)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime('%Y%m%dT%H%M%SZ')
    path = os.path.join(ROOT, 'benchmarks/results', f'batch-{stamp}.json')
    with open(path, 'w') as f:
        json.dump({'cpus': os.cpu_count(), 'results': results}, f, indent=2)
    print('written', path)


if __name__ == '__main__':
    sys.exit(main())
