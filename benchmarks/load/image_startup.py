#!/usr/bin/env python3
"""Cold start of images: a container's process start to its first good prediction.

Each image tarball (docker format, as `pack run --output` writes it) is unpacked once with
`odahu-pack image unpack` (which keeps the layers' modification times, as container runtimes do)
and its entrypoint started under bwrap as a container would run it (the image's environment, its
working directory, a private /tmp and PID namespace, the host's loopback), alternating between the
images so a change of the VM's load hits them alike. Reports the median wall seconds to the first
prediction and the CPU seconds the container's processes spent by then; the request is the wine
example's for an image of the wine model and `simple`'s otherwise. A docker-rest container serves
it (the time to its first good answer); a docker-cli container runs `predict /in/request.json /out`
as a batch Job would (the time until it exits, having written the result).

  /usr/bin/python3 benchmarks/load/image_startup.py [--repeats 5] IMAGE.tar [IMAGE.tar ...]

To compare two builds, package the same model with each distribution (`bin/odahu-pack pack run
... --output before.tar`) and pass both tarballs. Writes benchmarks/results/image-startup-<time>.json.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time

import compare
import proctree


def image_config(tarball):
    with tarfile.open(tarball) as tar:
        manifest = json.load(tar.extractfile('manifest.json'))[0]
        return json.load(tar.extractfile(manifest['Config']))['config']


def is_cli(config):
    """Whether the image's entrypoint is docker-cli's `invoke` (else docker-rest's server)."""
    return 'org.odahu.pack.batch.InvokeMain' in config['Entrypoint']


def sandbox(rootfs, config, environment, mounts=(), arguments=None):
    """bwrap's command line for the image's entrypoint, as a container runtime would start it."""
    environment = dict(dict(variable.split('=', 1) for variable in config['Env']), **environment)
    argv = ['bwrap', '--bind', rootfs, '/', '--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp',
            '--unshare-pid', '--die-with-parent', '--clearenv']
    for source, target in mounts:
        argv += ['--bind', source, target]
    for name, value in environment.items():
        argv += ['--setenv', name, value]
    return argv + ['--chdir', config.get('WorkingDir') or '/'] + config['Entrypoint'] + (
        arguments if arguments is not None else config.get('Cmd') or [])


def batch_prediction(rootfs, config, body):
    """Seconds from a docker-cli container's start to its exit after predicting; CPU seconds."""
    volume = tempfile.mkdtemp(prefix='image-startup-volume-')
    try:
        with open(os.path.join(volume, 'request.json'), 'wb') as request:
            request.write(body)
        os.makedirs(os.path.join(volume, 'out'))
        argv = sandbox(rootfs, config, {}, [(volume, '/in')], ['predict', '/in/request.json', '/in/out'])
        started = time.monotonic()
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # bwrap's PID namespace keeps the container's CPU time from its parent: sampled instead,
        # the last sample at most 5 ms before the exit.
        cpu = 0
        while process.poll() is None:
            cpu = max(cpu, proctree.cpu_seconds(process.pid))
            time.sleep(0.005)
        wall = time.monotonic() - started
        if process.returncode != 0:
            raise RuntimeError('the container exited with %s' % process.returncode)
        with open(os.path.join(volume, 'out', 'results.json')) as result:
            json.load(result)
        return {'ready_s': wall, 'cpu_s': cpu}
    finally:
        shutil.rmtree(volume, ignore_errors=True)


def first_prediction(rootfs, config, body):
    """Seconds from the container's start to its first good answer; CPU seconds by then."""
    if is_cli(config):
        return batch_prediction(rootfs, config, body)
    port = compare.free_port()
    argv = sandbox(rootfs, config, {'ODAHU_HOST': '127.0.0.1', 'ODAHU_PORT': str(port)})
    started = time.monotonic()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        while time.monotonic() - started < 120:
            if process.poll() is not None:
                raise RuntimeError('the container exited with %s' % process.returncode)
            try:
                compare.post(port, body, timeout=2)
                return {'ready_s': time.monotonic() - started, 'cpu_s': proctree.cpu_seconds(process.pid)}
            except (OSError, ValueError):
                time.sleep(0.005)
        raise RuntimeError('no answer in 120 s')
    finally:
        os.killpg(process.pid, 15)
        process.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--repeats', type=int, default=5, help='starts per image (default 5)')
    parser.add_argument('images', nargs='+', help='docker-rest or docker-cli image tarballs')
    args = parser.parse_args()
    wine = open(compare.ONE_ROW, 'rb').read()
    work = tempfile.mkdtemp(prefix='image-startup-')
    try:
        images = {}
        for index, tarball in enumerate(args.images):
            rootfs = os.path.join(work, 'rootfs-%d' % index)
            subprocess.run(['bash', compare.LAUNCHER, 'image', 'unpack', tarball, rootfs], check=True,
                           stdout=subprocess.DEVNULL)
            config = image_config(tarball)
            model = (config.get('Labels') or {}).get('org.odahu.pack.model.name')
            images[tarball] = (rootfs, config, wine if model == 'wine' else compare.SIMPLE_BODY)
        report = {'date': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()), 'repeats': args.repeats,
                  'load_average_before': proctree.load_average(), 'results': {}}
        runs = {tarball: [] for tarball in images}
        for tarball, image in images.items():
            first_prediction(*image)  # the page cache warm for every image alike; not measured
        for _ in range(args.repeats):
            for tarball, image in images.items():
                runs[tarball].append(first_prediction(*image))
        for tarball, results in runs.items():
            median = {key: round(statistics.median(run[key] for run in results), 3) for key in results[0]}
            report['results'][tarball] = dict(median, runs=results)
            print('%-50s first prediction %.2f s, CPU %.2f s' % (tarball, median['ready_s'], median['cpu_s']),
                  flush=True)
        report['load_average_after'] = proctree.load_average()
        compare.save_report('image-startup', report)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
