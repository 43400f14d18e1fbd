"""A test model written for what ODAHU's server accepts rather than what the GPPI documents: its
answers' columns are a pandas Index (a DataFrame's .columns) unless $ODAHU_TEST_COLUMNS says
`array` (a numpy array) or `str` (a string: a typo for a 1-tuple); its info() gives numpy dtypes as
types. It answers each row's first value doubled, in the column `doubled`; head_input.pkl (three
rows) makes self-checks predict."""
import os

import numpy as np
import pandas as pd


def init():
    return 'matrix'


def predict_on_matrix(input_matrix, provided_columns_names=None):
    frame = pd.DataFrame(input_matrix, columns=provided_columns_names)
    out = pd.DataFrame({'doubled': frame.iloc[:, 0] * 2})
    kind = os.environ.get('ODAHU_TEST_COLUMNS', 'index')
    if kind == 'array':
        return out.to_numpy(), out.columns.to_numpy()
    if kind == 'str':
        return out.to_numpy(), 'doubled'
    return out.to_numpy(), out.columns


def info():
    return [{'name': 'x', 'type': np.dtype('float64'), 'example': np.float64(0.0)}], \
           [{'name': 'doubled', 'type': np.dtype('float64'), 'example': 0.0, 'required': True}]
