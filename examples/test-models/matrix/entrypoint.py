"""A test model that answers how its matrix arrived: per input row, [kind, first value, the rest...].

kind is 'ndarray <dtype> <dimensions>' for a numpy array, else 'list of <row type>'. The first value
of every row is negated in place first, so an array must be writable, as a list is.
"""
import numpy as np


def init():
    return 'matrix'


def predict_on_matrix(input_matrix, provided_columns_names=None):
    if isinstance(input_matrix, np.ndarray):
        kind = 'ndarray %s %d' % (input_matrix.dtype, input_matrix.ndim)
        input_matrix[:, 0] *= -1
        rows = input_matrix.tolist()
    else:
        kind = 'list of %s' % type(input_matrix[0]).__name__
        rows = [list(row) for row in input_matrix]
        for row in rows:
            row[0] = -row[0]
    prediction = np.empty((len(rows), 1 + len(rows[0])), dtype=object)
    for index, row in enumerate(rows):
        prediction[index, :] = [kind] + row
    return prediction, tuple(['kind'] + list(provided_columns_names or ['col%d' % i for i in range(len(rows[0]))]))


def info():
    return [], []
