"""The floor under a worker round trip: the same predict_on_matrix call behind a bare pipe.

One byte in, the model called on a fixed matrix parsed once at start, one byte out: no framing, no
JSON, no queue. PipeFloorBenchmark drives it from Java, so that the round trip's cost beyond the
model splits into what any subprocess design pays on this machine and what the bridge adds.

Usage: python3 pipe_floor.py WORK_DIR MODULE REQUEST_JSON
"""
import contextlib
import importlib
import json
import os
import sys


def main(work_dir, module_name, request_file):
    os.environ['MODEL_LOCATION'] = work_dir
    os.chdir(work_dir)
    sys.path.insert(0, work_dir)
    with contextlib.redirect_stdout(sys.stderr):
        module = importlib.import_module(module_name)
        module.init()
    with open(request_file) as request_input:
        request = json.load(request_input)
    data, columns = request['data'], request.get('columns')
    while os.read(0, 1):
        module.predict_on_matrix(data, provided_columns_names=columns)
        os.write(1, b'.')


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2], sys.argv[3])
