#!/usr/bin/python3
"""Packaging benchmarks: how long packaging the wine example takes cold (base image cached, no Java
runtime or layer cache) and warm, how big the image is, and how many bytes a registry stores for a
model-only change. Uses the odahu-pack command and Debian's docker-registry on loopback.

  benchmarks/packaging/measure.py        (build first: mvn -B package -DskipTests)

Writes benchmarks/results/packaging-<time>.json.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LAUNCHER = os.path.join(ROOT, 'cli', 'target', 'odahu-pack', 'bin', 'odahu-pack')
ARTIFACTS = os.path.join(ROOT, 'examples', 'target', 'artifacts')
USER_CACHE = os.environ.get('ODAHU_PACK_CACHE') or os.path.join(
    os.environ.get('XDG_CACHE_HOME') or os.path.expanduser('~/.cache'), 'odahu-pack')


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def pack(cache, manifest, packaging_id, artifacts, extra):
    env = dict(os.environ, ODAHU_PACK_CACHE=cache)
    started = time.monotonic()
    subprocess.run(['bash', LAUNCHER, 'pack', 'run', '--id', packaging_id, '-f', manifest, '--artifact-path', artifacts,
                    '--no-disable-package-targets'] + extra, env=env, check=True, capture_output=True, text=True)
    return round(time.monotonic() - started, 2)


def stored_bytes(directory):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(directory) for f in files)


def main():
    if not os.path.exists(LAUNCHER):
        sys.exit('build first: mvn -B package -DskipTests')
    base = [f for f in os.listdir(os.path.join(USER_CACHE, 'base-images')) if f.endswith('.tar')]
    if not base:
        sys.exit('build the base image first: odahu-pack base-image build')
    work = tempfile.mkdtemp(prefix='odahu-packaging-bench-')
    try:
        cache = os.path.join(work, 'cache')
        os.makedirs(os.path.join(cache, 'base-images'))
        # The newest: an older recipe's tarball may still be there.
        newest = max(base, key=lambda f: os.path.getmtime(os.path.join(USER_CACHE, 'base-images', f)))
        shutil.copy(os.path.join(USER_CACHE, 'base-images', newest), os.path.join(cache, 'base-images'))
        port = free_port()
        storage = os.path.join(work, 'registry')
        config = os.path.join(work, 'registry.yml')
        with open(config, 'w') as out:
            out.write('version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: %s}}\n'
                      'http: {addr: "127.0.0.1:%d", secret: bench}\n' % (storage, port))
        registry = subprocess.Popen(['docker-registry', 'serve', config], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
        try:
            for _ in range(200):
                try:
                    urllib.request.urlopen('http://127.0.0.1:%d/v2/' % port, timeout=1)
                    break
                except OSError:
                    time.sleep(0.05)
            manifest = os.path.join(work, 'packaging.yaml')
            with open(manifest, 'w') as out:
                out.write('kind: ModelPackaging\nid: wine-tar\nspec: {artifactName: wine.zip, integrationName: docker-rest,'
                          ' arguments: {imageName: "odahu/wine:1.0"}}\n---\n'
                          'kind: Connection\nid: local\nspec: {type: docker, uri: "127.0.0.1:%d/odahu"}\n---\n'
                          'kind: ModelPackaging\nid: wine-push\nspec: {artifactName: wine.zip, integrationName: docker-rest,'
                          ' arguments: {imageName: "wine:1.0"}, targets: [{name: docker-push, connectionName: local}]}\n'
                          % port)
            tarball = os.path.join(work, 'wine.tar')
            result = {'cold_tarball_s': pack(cache, manifest, 'wine-tar', ARTIFACTS, ['--output', tarball])}
            result['warm_tarball_s'] = pack(cache, manifest, 'wine-tar', ARTIFACTS, ['--output', tarball])
            with tarfile.open(tarball) as image:
                index = json.load(image.extractfile('manifest.json'))[0]
                layers = [image.getmember(layer).size for layer in index['Layers']]
            result['image_compressed_bytes'] = sum(layers)
            result['layers_compressed_bytes'] = dict(zip(['base', 'java-runtime', 'runtime-jars', 'class-data', 'model'], layers))
            result['first_push_s'] = pack(cache, manifest, 'wine-push', ARTIFACTS, [])
            result['registry_bytes_after_first_push'] = stored_bytes(storage)
            changed = os.path.join(work, 'artifacts')
            shutil.copytree(os.path.join(ARTIFACTS, 'wine'), os.path.join(changed, 'wine'))
            with open(os.path.join(changed, 'wine', 'odahuflow_model', 'entrypoint.py'), 'a') as out:
                out.write('\n# retrained\n')
            before = stored_bytes(storage)
            result['model_change_push_s'] = pack(cache, manifest, 'wine-push', changed, [])
            result['model_change_pushed_bytes'] = stored_bytes(storage) - before
        finally:
            registry.terminate()
            registry.wait()
        result['date'] = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())
        print(json.dumps(result, indent=2))
        os.makedirs(os.path.join(ROOT, 'benchmarks', 'results'), exist_ok=True)
        path = os.path.join(ROOT, 'benchmarks', 'results', 'packaging-%s.json' % time.strftime('%Y%m%dT%H%M%SZ', time.gmtime()))
        with open(path, 'w') as out:
            json.dump(result, out, indent=2)
        print('Saved %s' % path)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
