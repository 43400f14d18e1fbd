"""A GPPI model whose prediction always fails, to exercise error handling."""


def init():
    return 'matrix'


def predict_on_matrix(input_matrix, provided_columns_names=None):
    raise Exception('Expected error')


def info():
    return [{'name': 'a', 'type': 'number', 'example': 1.0}], [{'name': 'result', 'type': 'number', 'example': 1.0}]
