#!/usr/bin/python3
"""Dependency-layer benchmarks: packaging the wine example with a 20-wheel dependency set (a chain
pkg00 -> pkg01 -> ... -> pkg19 of pure-Python wheels, ~7 KB each) served by a PEP 503 index on
loopback. Measures, with the odahu-pack command:

- wine without dependencies, warm (today's warm repackage, the reference), interleaved with
  the warm runs below so that the machine's load weighs on both alike;
- wine + 20 wheels, cold dependency cache (download, plan, install; the base's Python already read,
  base and Java caches warm);
- wine + 20 wheels, warm (index stopped: everything from the cache);
- the dependency layer's size against the wheels' size.

Verification runs as in a real packaging (bwrap); --no-verify times are reported too.

  benchmarks/packaging/measure_deps.py   (build first: mvn -B package -DskipTests)

Writes benchmarks/results/packaging-deps-<time>.json.
"""
import base64
import hashlib
import http.server
import json
import os
import shutil
import statistics
import sys
import tarfile
import tempfile
import threading
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure  # noqa: E402  (same directory: the launcher, the caches, pack())

COUNT = 20
ROUNDS = int(os.environ.get('ROUNDS', '3'))
DEPENDENCY_CACHES = ('wheels', 'metadata', 'resolutions', 'trees')  # not targets/: the base's Python


def forget_dependencies(cache):
    for name in DEPENDENCY_CACHES:
        shutil.rmtree(os.path.join(cache, 'python-deps', name), ignore_errors=True)


def timed(label, *args):
    seconds = measure.pack(*args)
    print('%s: %.2f s' % (label, seconds), file=sys.stderr, flush=True)
    return seconds


def write_wheel(directory, index):
    name = 'pkg%02d' % index
    version = '1.%d' % index
    files = {'%s/__init__.py' % name: "NAME = '%s'\n" % name + '# padding\n' * 200}
    for j in range(30):
        files['%s/module%d.py' % (name, j)] = 'def f():\n    return %d\n' % j + '# more padding\n' * 100
    info = '%s-%s.dist-info' % (name, version)
    metadata = 'Metadata-Version: 2.1\nName: %s\nVersion: %s\n' % (name, version)
    if index + 1 < COUNT:
        metadata += 'Requires-Dist: pkg%02d>=1.0\n' % (index + 1)
    files[info + '/METADATA'] = metadata
    files[info + '/WHEEL'] = 'Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n'
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b'=').decode()
        record.append('%s,sha256=%s,%d' % (path, digest, len(text.encode())))
    record.append(info + '/RECORD,,')
    files[info + '/RECORD'] = '\n'.join(record) + '\n'
    filename = '%s-%s-py3-none-any.whl' % (name, version)
    with zipfile.ZipFile(os.path.join(directory, filename), 'w', zipfile.ZIP_DEFLATED) as out:
        for path, text in files.items():
            out.writestr(path, text)
    return name, filename


def write_index(root):
    """A PEP 503 tree: root/simple/<name>/index.html linking ../../wheels/<file>#sha256=..."""
    wheels = os.path.join(root, 'wheels')
    os.makedirs(wheels)
    for i in range(COUNT):
        name, filename = write_wheel(wheels, i)
        with open(os.path.join(wheels, filename), 'rb') as wheel:
            digest = hashlib.sha256(wheel.read()).hexdigest()
        page = os.path.join(root, 'simple', name)
        os.makedirs(page)
        with open(os.path.join(page, 'index.html'), 'w') as out:
            out.write('<html><body><a href="../../wheels/%s#sha256=%s">%s</a></body></html>\n'
                      % (filename, digest, filename))
    return wheels


class Index:
    """The index on loopback, started and stopped by the benchmark."""

    def __init__(self, root):
        handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=root, **k)  # noqa: E731
        http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None
        self.server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
        self.url = 'http://127.0.0.1:%d/simple' % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def artifacts_with_requirements(work):
    artifacts = os.path.join(work, 'artifacts')
    shutil.copytree(os.path.join(measure.ARTIFACTS, 'wine'), os.path.join(artifacts, 'wine'))
    with open(os.path.join(artifacts, 'wine', 'odahuflow_model', 'requirements.txt'), 'w') as out:
        out.write('pkg00\n')
    return artifacts


def layer_sizes(tarball):
    with tarfile.open(tarball) as image:
        index = json.load(image.extractfile('manifest.json'))[0]
        return [image.getmember(layer).size for layer in index['Layers']]


def main():
    if not os.path.exists(measure.LAUNCHER):
        sys.exit('build first: mvn -B package -DskipTests')
    base = [f for f in os.listdir(os.path.join(measure.USER_CACHE, 'base-images')) if f.endswith('.tar')]
    if not base:
        sys.exit('build the base image first: odahu-pack base-image build')
    work = tempfile.mkdtemp(prefix='odahu-deps-bench-')
    os.environ['PIP_CONFIG_FILE'] = os.devnull  # this machine's pip.conf names no index of ours
    try:
        cache = os.path.join(work, 'cache')
        os.makedirs(os.path.join(cache, 'base-images'))
        shutil.copy(os.path.join(measure.USER_CACHE, 'base-images', base[0]), os.path.join(cache, 'base-images'))
        for jre in [d for d in os.listdir(measure.USER_CACHE) if d.startswith('jre-')]:
            # The Java runtime jlink made for this JDK: its cold build is measure.py's business.
            shutil.copytree(os.path.join(measure.USER_CACHE, jre), os.path.join(cache, jre), symlinks=True)
        wheels = write_index(os.path.join(work, 'index'))
        artifacts = artifacts_with_requirements(work)
        manifest = os.path.join(work, 'packaging.yaml')
        with open(manifest, 'w') as out:
            out.write('kind: ModelPackaging\nid: wine-tar\nspec: {artifactName: wine.zip, integrationName: docker-rest,'
                      ' arguments: {imageName: "odahu/wine:1.0"}}\n')
        plain, tarball = os.path.join(work, 'plain.tar'), os.path.join(work, 'deps.tar')
        result = {'wheels': COUNT, 'rounds': ROUNDS}
        wine = (cache, manifest, 'wine-tar', measure.ARTIFACTS)
        result['wine_first_s'] = timed('wine, first', *wine, ['--output', plain])
        deps = (cache, manifest, 'wine-tar', artifacts)
        for verify in ([], ['--no-verify']):
            suffix = '_no_verify' if verify else ''
            cold, warm, reference = [], [], []
            for _ in range(ROUNDS):
                forget_dependencies(cache)
                index = Index(os.path.join(work, 'index'))
                os.environ['PIP_INDEX_URL'] = index.url
                try:
                    cold.append(timed('wine + 20 wheels, cold ' + ' '.join(verify), *deps, ['--output', tarball] + verify))
                finally:
                    index.stop()
                # Interleaved, so that the machine's load weighs on both alike.
                reference.append(timed('wine, warm ' + ' '.join(verify), *wine, ['--output', plain] + verify))
                warm.append(timed('wine + 20 wheels, warm ' + ' '.join(verify), *deps, ['--output', tarball] + verify))
            result['wine_warm%s_s' % suffix] = reference
            result['deps_cold%s_s' % suffix], result['deps_warm%s_s' % suffix] = cold, warm
            result['warm_ratio%s' % suffix] = round(statistics.median(warm) / statistics.median(reference), 2)
        result['wheels_bytes'] = measure.stored_bytes(wheels)
        plain_layers, deps_layers = layer_sizes(plain), layer_sizes(tarball)
        result['dependency_layer_compressed_bytes'] = deps_layers[-2]
        result['image_compressed_bytes'] = {'without': sum(plain_layers), 'with': sum(deps_layers)}
        trees = os.path.join(cache, 'python-deps', 'trees')
        result['installed_tree_bytes'] = measure.stored_bytes(trees) if os.path.isdir(trees) else None
        result['date'] = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())
        result['load_average'] = os.getloadavg()
        print(json.dumps(result, indent=2))
        path = os.path.join(measure.ROOT, 'benchmarks', 'results',
                            'packaging-deps-%s.json' % time.strftime('%Y%m%dT%H%M%SZ', time.gmtime()))
        with open(path, 'w') as out:
            json.dump(result, out, indent=2)
        print('Saved %s' % path)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
