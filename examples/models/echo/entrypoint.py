"""A GPPI model that answers each input row unchanged (values keep their JSON types).

Used to prove that batching never mixes rows of different requests.
"""
import numpy as np


def init():
    return 'matrix'


def predict_on_matrix(input_matrix, provided_columns_names=None):
    rows = [list(row) for row in input_matrix]
    prediction = np.empty((len(rows), len(rows[0]) if rows else 0), dtype=object)
    for index, row in enumerate(rows):
        prediction[index, :] = row
    columns = provided_columns_names or ['col%d' % i for i in range(prediction.shape[1])]
    return prediction, tuple(columns)


def info():
    return [{'name': 'value', 'type': 'string', 'example': 'x'}], [{'name': 'value', 'type': 'string', 'example': 'x'}]
