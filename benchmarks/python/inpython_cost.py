"""The in-Python cost of the calls WorkerRoundTripBenchmark makes, measured with timeit in one
process, so that the bridge's own overhead is visible:

  model    predict_on_matrix(rows, provided_columns_names=columns) alone;
  handler  the worker's handling of the same request frame: JSON decoding of the request,
           predict_on_matrix, encoding the answer (gppi_worker.handle, as the worker runs it);
  idle     predict_on_matrix again, but after the process slept 0.2 ms before each call, as a
           worker sleeps on its pipe between two back-to-back round trips: what the model costs
           once its caches went cold (timeit's loop never lets them).

Round trip (JMH) minus handler = transport and Java; handler minus model = Python-side JSON.

Usage: /usr/bin/python3 inpython_cost.py ARTIFACT_DIR REQUEST_JSON ROWS
Prints one JSON line with the means (and best of 5) in microseconds.
"""
import contextlib
import json
import os
import statistics
import sys
import time
import timeit

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'gppi-bridge', 'src', 'main', 'resources', 'org', 'odahu', 'pack',
                                'gppi', 'runtime'))
import gppi_worker  # noqa: E402


def measure(call):
    number, _ = timeit.Timer(call).autorange()
    runs = timeit.repeat(call, number=number, repeat=5)
    return round(sum(runs) / (5 * number) * 1e6, 1), round(min(runs) / number * 1e6, 1)


def measure_after_idle(call, idle_seconds=0.0002, calls=500, warm_up=50):
    times = []
    for _ in range(calls):
        time.sleep(idle_seconds)
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return round(statistics.mean(times[warm_up:]) * 1e6, 1)


def main(artifact, request_file, rows):
    work_dir = os.path.join(artifact, 'odahuflow_model')
    os.environ['MODEL_LOCATION'] = work_dir
    with contextlib.redirect_stdout(sys.stderr):  # what the model prints is not our output
        gppi = gppi_worker.load('entrypoint', work_dir)
    with open(request_file) as request_input:
        request = json.load(request_input)
    data = request['data'][:rows]
    columns = request.get('columns')
    frame = json.dumps({'style': 'compact', 'columns': columns, 'data': data}, separators=(',', ':')).encode()
    def predict():
        return gppi.module.predict_on_matrix(data, provided_columns_names=columns)

    model, model_best = measure(predict)
    model_after_idle = measure_after_idle(predict)
    handler, handler_best = measure(lambda: gppi_worker.handle(gppi, gppi_worker.PREDICT, frame))
    print(json.dumps({'model': os.path.basename(os.path.normpath(artifact)), 'rows': rows,
                      'model_us': model, 'model_us_best': model_best,
                      'handler_us': handler, 'handler_us_best': handler_best,
                      'model_after_idle_us': model_after_idle}))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
