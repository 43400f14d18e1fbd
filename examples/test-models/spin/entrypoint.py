"""A pure-Python test model for the GraalPy runtime: answers each row's sum, unless the first value
of the first row is a command (see test-models/README.md)."""
import importlib
import os
import threading
import time


def init():
    if os.environ.get('ODAHU_TEST_EXIT'):
        os._exit(int(os.environ['ODAHU_TEST_EXIT']))
    print('spin: init')
    return 'matrix'


def predict_on_matrix(input_matrix, provided_columns_names=None):
    command = input_matrix[0][0] if input_matrix and input_matrix[0] else None
    if command == 'spin':
        while True:
            pass
    if command == 'sleep':
        time.sleep(float(input_matrix[0][1]))
    if command == 'rawsleep':
        # GraalPy's own time.sleep, which sleeps a float out whatever cancels its context.
        getattr(time.sleep, '__wrapped__', time.sleep)(float(input_matrix[0][1]))
    if command == 'thread':
        answers = []
        worker = threading.Thread(target=lambda: answers.append(7))
        worker.start()
        worker.join()
        return [answers], ('thread',)
    if command == 'exit':
        os._exit(int(input_matrix[0][1]))
    if command == 'env':
        return [[os.environ.get(input_matrix[0][1])]], ('value',)
    if command == 'import':
        importlib.import_module(input_matrix[0][1])
    if command is not None and not isinstance(command, (int, float)):
        return [[command]], ('done',)
    return [[sum(row)] for row in input_matrix], ('sum',)


def info():
    return [{'name': 'x', 'type': 'number', 'example': 1}], [{'name': 'sum', 'type': 'number', 'example': 1}]
