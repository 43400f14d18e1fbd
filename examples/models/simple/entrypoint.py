"""The trivial GPPI model of ODAHU's tests: always answers [[42]] with the column 'result'."""
import numpy as np


def init():
    print('init')
    return 'matrix'


def predict_on_matrix(input_matrix, provided_columns_names=None):
    return np.array([[42]]), ('result',)


def info():
    input_sample = [
        {'name': 'a', 'type': 'string', 'required': True, 'example': '1'},
        {'name': 'b', 'type': 'string', 'example': '2'},
    ]
    output_sample = [{'name': 'integer', 'type': 'string', 'required': True, 'example': '42'}]
    return input_sample, output_sample


def get_output_json_serializer():
    return None
