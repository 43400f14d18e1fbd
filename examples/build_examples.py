#!/usr/bin/python3
"""Builds the example ODAHU trained-model artifacts.

Each model becomes, under the output directory:
  <name>/             the artifact directory (odahuflow.project.yaml + odahuflow_model/)
  <name>.zip          a gzip tarball with entries './...' -- what ODAHU's trainer really writes
  <name>.deflate.zip  a real (Deflate) ZIP -- what ODAHU's docs describe

The wine model is trained like ODAHU's MLflow wine example (np.random.seed(40), default
train_test_split, ElasticNet(alpha=1.0, l1_ratio=0.1, random_state=42)). Archives are
reproducible: fixed times, owners and entry order.

Run with Debian's interpreter, which has scikit-learn:  /usr/bin/python3 build_examples.py --out DIR
"""
import argparse
import gzip
import io
import json
import os
import pickle
import shutil
import sys
import tarfile
import warnings
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED_MTIME = 1767225600  # 2026-01-01T00:00:00Z

MANIFEST = """binaries:
  conda_path: odahuflow_model/conda.yaml
  dependencies: conda
  type: python
model:
  entrypoint: entrypoint
  name: {name}
  version: '{version}'
  workDir: odahuflow_model
odahuflowVersion: '1.0'
toolchain:
  name: odahu-pack-examples
  version: 1.0.0
"""

CONDA = """name: {name}
channels:
  - defaults
dependencies:
  - python=3.11
{extra}"""

NUMPY_DEPS = "  - numpy\n"
WINE_DEPS = "  - numpy\n  - pandas\n  - scikit-learn\n"

MODELS = {
    # name: (extra conda dependencies, trainer that writes model files into the model dir)
    'wine': (WINE_DEPS, 'train_wine'),
    'simple': (NUMPY_DEPS, None),
    'fail': ('', None),
    'counter': (NUMPY_DEPS, None),
    'echo': (NUMPY_DEPS, None),
    'pure': ('', 'write_pure_weights'),
}


def train_wine(model_dir):
    import numpy as np
    import pandas as pd
    from sklearn.linear_model import ElasticNet
    from sklearn.model_selection import train_test_split

    warnings.filterwarnings('ignore')
    np.random.seed(40)
    data = pd.read_csv(os.path.join(HERE, 'data', 'wine-quality.csv'))
    train, _ = train_test_split(data)
    train_x = train.drop(['quality'], axis=1)
    train_y = train[['quality']]
    model = ElasticNet(alpha=1.0, l1_ratio=0.1, random_state=42)
    model.fit(train_x, train_y)
    with open(os.path.join(model_dir, 'model.pkl'), 'wb') as model_file:
        pickle.dump(model, model_file, protocol=4)
    train_x.head().to_pickle(os.path.join(model_dir, 'head_input.pkl'), protocol=4)
    predicted = model.predict(train_x.head())
    pd.DataFrame(data=predicted, columns=['quality']).to_pickle(
        os.path.join(model_dir, 'head_output.pkl'), protocol=4)


def write_sloppy_head(model_dir):
    import pandas as pd
    pd.DataFrame({'x': [1.0, 2.0, 3.0]}).to_pickle(os.path.join(model_dir, 'head_input.pkl'), protocol=4)


def write_pure_weights(model_dir):
    spec = {'features': ['x1', 'x2', 'x3'], 'weights': [0.5, -1.25, 2.0], 'bias': 0.75}
    with open(os.path.join(model_dir, 'weights.json'), 'w') as weights_file:
        json.dump(spec, weights_file, indent=2, sort_keys=True)
        weights_file.write('\n')


# Fixtures for failure tests (test-models/README.md), built as directories only.
TEST_MODELS = ('unruly', 'matrix', 'badimport', 'badinit', 'initimport', 'objects', 'slowinit', 'spin',
               'encoder', 'frame', 'deps', 'sloppy', 'restimport', 'relimport')
# name: (extra conda dependencies, writer of model files), for the test models that need either
TEST_MODEL_SETUP = {
    'sloppy': ("  - numpy\n  - pandas\n", 'write_sloppy_head'),
}


def build_directory(out, name, version, sources='models'):
    extra, trainer = MODELS.get(name) or TEST_MODEL_SETUP.get(name, (NUMPY_DEPS, None))
    root = os.path.join(out, name)
    shutil.rmtree(root, ignore_errors=True)
    model_dir = os.path.join(root, 'odahuflow_model')
    os.makedirs(model_dir)
    with open(os.path.join(root, 'odahuflow.project.yaml'), 'w') as manifest:
        manifest.write(MANIFEST.format(name=name, version=version))
    with open(os.path.join(model_dir, 'conda.yaml'), 'w') as conda:
        conda.write(CONDA.format(name=name, extra=extra))
    # entrypoint.py, and whatever else the model has (requirements.txt, its own modules)
    source = os.path.join(HERE, sources, name)
    for file_name in sorted(os.listdir(source)):
        if os.path.isfile(os.path.join(source, file_name)) and not file_name.endswith('.pyc'):
            shutil.copyfile(os.path.join(source, file_name), os.path.join(model_dir, file_name))
    if trainer:
        globals()[trainer](model_dir)
    return root


def walk_sorted(root):
    """Relative paths of every directory and file below root, parents first, sorted."""
    paths = []
    for current, dirs, files in os.walk(root):
        dirs.sort()
        rel = os.path.relpath(current, root)
        if rel != '.':
            paths.append(rel)
        paths.extend(os.path.normpath(os.path.join(rel, f)) for f in sorted(files))
    return paths


def normalize(info):
    info.mtime = FIXED_MTIME
    info.uid = info.gid = 0
    info.uname = info.gname = 'root'
    info.mode = 0o755 if info.isdir() else 0o644
    return info


def write_gzip_tarball(root, target):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode='w', format=tarfile.PAX_FORMAT) as tar:
        tar.add(root, arcname='.', recursive=False, filter=normalize)
        for rel in walk_sorted(root):
            tar.add(os.path.join(root, rel), arcname='./' + rel, recursive=False, filter=normalize)
    with open(target, 'wb') as raw, gzip.GzipFile(fileobj=raw, mode='wb', mtime=FIXED_MTIME, filename='') as gz:
        gz.write(buffer.getvalue())


def write_deflate_zip(root, target):
    with zipfile.ZipFile(target, 'w', compression=zipfile.ZIP_DEFLATED) as archive:
        for rel in walk_sorted(root):
            path = os.path.join(root, rel)
            is_dir = os.path.isdir(path)
            entry = zipfile.ZipInfo(rel + ('/' if is_dir else ''), date_time=(2026, 1, 1, 0, 0, 0))
            entry.external_attr = ((0o40755 if is_dir else 0o100644) << 16) | (0x10 if is_dir else 0)
            entry.compress_type = zipfile.ZIP_DEFLATED
            data = b'' if is_dir else open(path, 'rb').read()
            archive.writestr(entry, data)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--out', required=True, help='output directory')
    parser.add_argument('--version', default='1.0', help="model version written in the manifests (default '1.0')")
    parser.add_argument('models', nargs='*', help='models to build (default: all)')
    args = parser.parse_args(argv)
    names = args.models or list(MODELS)
    unknown = [name for name in names if name not in MODELS]
    if unknown:
        parser.error('unknown model(s): %s (known: %s)' % (', '.join(unknown), ', '.join(MODELS)))
    os.makedirs(args.out, exist_ok=True)
    for name in names:
        root = build_directory(args.out, name, args.version)
        write_gzip_tarball(root, os.path.join(args.out, name + '.zip'))
        write_deflate_zip(root, os.path.join(args.out, name + '.deflate.zip'))
        print('built %s: %s{,.zip,.deflate.zip}' % (name, root))
    if not args.models:
        for name in TEST_MODELS:
            build_directory(os.path.join(args.out, 'test-models'), name, args.version, 'test-models')
        print('built test models: %s' % os.path.join(args.out, 'test-models'))


if __name__ == '__main__':
    main(sys.argv[1:])
