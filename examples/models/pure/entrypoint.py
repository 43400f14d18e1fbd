"""A pure-Python GPPI model (no numpy): a small linear model in plain lists.

It runs on CPython and on the in-process GraalPy backend alike.
"""
import json
import os

FEATURES = None
WEIGHTS = None
BIAS = 0.0


def init():
    global FEATURES, WEIGHTS, BIAS
    with open(os.path.join(os.getenv('MODEL_LOCATION', '.'), 'weights.json')) as weights_file:
        spec = json.load(weights_file)
    FEATURES = spec['features']
    WEIGHTS = spec['weights']
    BIAS = spec['bias']
    return 'matrix'


def predict_on_matrix(input_matrix, provided_columns_names=None):
    order = list(range(len(FEATURES)))
    if provided_columns_names:
        order = [list(provided_columns_names).index(name) for name in FEATURES]
    prediction = []
    for row in input_matrix:
        value = BIAS
        for weight, index in zip(WEIGHTS, order):
            value += weight * float(row[index])
        prediction.append([value])
    return prediction, ('y',)


def info():
    inputs = [{'name': name, 'type': 'number', 'example': 0, 'required': True} for name in FEATURES or []]
    return inputs, [{'name': 'y', 'type': 'number', 'example': 0, 'required': True}]
