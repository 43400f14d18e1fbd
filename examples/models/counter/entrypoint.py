"""A stateful GPPI model: answers how many times predict_on_matrix was called in this process."""
import numpy as np

COUNTER = 0


def init():
    return 'matrix'


def predict_on_matrix(input_matrix, provided_columns_names=None):
    global COUNTER
    COUNTER += 1
    return np.array([[COUNTER]]), ('result',)


def info():
    return [{'name': 'a', 'type': 'string', 'example': '1'}], [{'name': 'result', 'type': 'integer', 'example': 1}]
