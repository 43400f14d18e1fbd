"""The in-Python cost of one predict_on_matrix call, measured with timeit, for comparison with
the Java round trip of the same call (WorkerRoundTripBenchmark).

Usage: /usr/bin/python3 inpython_cost.py ARTIFACT_DIR REQUEST_JSON ROWS
Prints one JSON line: {"model": ..., "rows": N, "us_per_call": mean, "us_per_call_best": best of 5}.
"""
import importlib
import json
import os
import sys
import timeit


def main(artifact, request_file, rows):
    work_dir = os.path.join(artifact, 'odahuflow_model')
    os.environ['MODEL_LOCATION'] = work_dir
    sys.path.append(work_dir)
    module = importlib.import_module('entrypoint')
    module.init()
    with open(request_file) as request_input:
        request = json.load(request_input)
    data = request['data'][:rows]
    columns = request.get('columns')
    call = lambda: module.predict_on_matrix(data, provided_columns_names=columns)  # noqa: E731
    number, _ = timeit.Timer(call).autorange()
    runs = timeit.repeat(call, number=number, repeat=5)
    print(json.dumps({'model': os.path.basename(os.path.normpath(artifact)), 'rows': rows,
                      'us_per_call': round(sum(runs) / (5 * number) * 1e6, 1),
                      'us_per_call_best': round(min(runs) / number * 1e6, 1)}))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
