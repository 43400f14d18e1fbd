#!/usr/bin/env python3
"""Regenerates the class list from which packaging dumps the images' class-data archive.

Images with odahu-pack's own Java runtime carry a class-data-sharing archive of the classes their
server and batch entry points load (see ClassDataArchive in packager-core). Which classes those are
is recorded here, by the JVM itself (-XX:DumpLoadedClassList), while the server built in this
checkout serves the wine example on every route and the docker-cli entry point predicts a file:

  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -B -o -q -pl serving-runtime -am package -DskipTests
  /usr/bin/python3 examples/build_examples.py --out examples/target/artifacts
  /usr/bin/python3 scripts/server-classlist.py

Rerun it when the server's code paths change: ClassListTest fails when a class the list names is
gone, and classes missing from the list still load, only from their jars. The list holds class
names and lambda shapes, nothing of the machine that made it.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAVA_HOME = os.environ.get('JAVA_HOME', '/usr/lib/jvm/temurin-25-jdk-amd64')
JARS = os.path.join(ROOT, 'serving-runtime', 'target', 'runtime-lib')
WINE = os.path.join(ROOT, 'examples', 'target', 'artifacts', 'wine')
REQUEST = os.path.join(ROOT, '..', 'shared', 'data', 'wine-request.json')
REQUEST_100 = os.path.join(ROOT, '..', 'shared', 'data', 'wine-request-100.json')
OUTPUT = os.path.join(ROOT, 'packager-core', 'src', 'main', 'resources', 'org', 'odahu', 'pack',
                      'packager', 'image', 'server.classlist')
HEADER = ('# Classes the odahu-pack server and batch entry points load, recorded by\n'
          '# scripts/server-classlist.py (-XX:DumpLoadedClassList); packaging dumps an image\'s\n'
          '# class-data archive from it (-Xshare:dump). Generated: do not edit.\n')


def java(main, args, class_list, **kwargs):
    class_path = ':'.join(sorted(os.path.join(JARS, f) for f in os.listdir(JARS) if f.endswith('.jar')))
    command = [os.path.join(JAVA_HOME, 'bin', 'java'), '-XX:+UseSerialGC', '-Xmn8m',
               '-XX:DumpLoadedClassList=' + class_list, '--enable-native-access=ALL-UNNAMED',
               '-cp', class_path, main] + args
    return subprocess.Popen(command, **kwargs)


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def call(port, method, path, body=None):
    request = urllib.request.Request('http://127.0.0.1:%d%s' % (port, path), data=body, method=method,
                                     headers={'Content-Type': 'application/json'})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def serve(class_list, work):
    """The server on every route: probes, ODAHU's API, v2, MLflow, feedback, docs, errors."""
    port = free_port()
    log = open(os.path.join(work, 'serve.log'), 'wb')
    server = java('org.odahu.pack.server.ServerMain',
                  [WINE, '--host', '127.0.0.1', '--port', str(port), '--workers', '1',
                   '--capture-dir', os.path.join(work, 'capture')],
                  class_list, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while call_or_none(port, '/health/ready') != 200:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit('the server did not get ready; see ' + log.name)
            time.sleep(0.1)
        wine = open(REQUEST, 'rb').read()
        rows = json.loads(wine)
        v2 = json.dumps({'inputs': [{'name': c, 'shape': [1], 'datatype': 'FP64', 'data': [v]}
                                    for c, v in zip(rows['columns'], rows['data'][0])]}).encode()
        mlflow = json.dumps({'dataframe_split': rows}).encode()
        for _ in range(20):
            for method, path, body in [
                    ('GET', '/healthcheck', None), ('GET', '/health/live', None),
                    ('GET', '/metrics', None), ('GET', '/api/model/info', None),
                    ('POST', '/api/model/invoke', wine),
                    ('POST', '/api/model/invoke', open(REQUEST_100, 'rb').read()),
                    ('POST', '/api/model/invoke', b'{"data": [[1, 2'),
                    ('POST', '/api/v1/feedback/model', b'{"quality": 6}'),
                    ('GET', '/v2', None), ('GET', '/v2/models/wine', None),
                    ('GET', '/v2/models/wine/ready', None), ('POST', '/v2/models/wine/infer', v2),
                    ('POST', '/invocations', mlflow), ('GET', '/ping', None),
                    ('GET', '/version', None), ('GET', '/openapi.json', None),
                    ('GET', '/docs/', None), ('GET', '/missing', None)]:
                call(port, method, path, body)
    finally:
        server.terminate()
        server.wait(30)


def call_or_none(port, path):
    try:
        return call(port, 'GET', path)[0]
    except OSError:
        return None


def invoke(class_list, work):
    """The docker-cli entry point predicting a file, as its images run it."""
    result = java('org.odahu.pack.batch.InvokeMain',
                  ['--entrypoint', 'entrypoint', '--model', os.path.join(WINE, 'odahuflow_model'),
                   'predict', REQUEST_100, os.path.join(work, 'out')],
                  class_list, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, stderr = result.communicate(timeout=120)
    if result.returncode != 0:
        raise SystemExit('invoke predict failed: ' + stderr.decode(errors='replace'))


def main():
    work = tempfile.mkdtemp(prefix='classlist-')
    try:
        lists = [os.path.join(work, 'serve.classlist'), os.path.join(work, 'invoke.classlist')]
        serve(lists[0], work)
        invoke(lists[1], work)
        seen, lines = set(), []
        for name in lists:
            for line in open(name):
                # '@cp' lines (resolved constant pool entries) serve only AOT-linked archives,
                # which are not reproducible; comments are the JVM's. A class's 'id: N' matters
                # only to classes of other loaders naming it as their super, and each run numbers
                # its own.
                if line.startswith('#') or line.startswith('@cp '):
                    continue
                if ' source: ' in line:
                    raise SystemExit('a class of another loader, which the list cannot name: ' + line)
                if not line.startswith('@'):
                    line = line.split(' ')[0].rstrip('\n') + '\n'
                if line in seen:
                    continue
                seen.add(line)
                lines.append(line)
        with open(OUTPUT, 'w') as out:
            out.write(HEADER)
            out.writelines(lines)
        print('%s: %d lines' % (os.path.relpath(OUTPUT, ROOT), len(lines)))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
