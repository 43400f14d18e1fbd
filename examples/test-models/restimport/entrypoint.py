"""A test model written for ODAHU's REST server, which imports it as odahuflow_model.entrypoint: it
imports its own helper module through that package. Answers [[<helper's answer>]] with its own
module name as the column. With $ODAHU_TEST_IMPORT=missing it imports a module of that package that
does not exist."""
import os

import numpy as np

from odahuflow_model import helper

if os.environ.get('ODAHU_TEST_IMPORT') == 'missing':
    import odahuflow_model.nothere  # noqa: F401


def init():
    return 'matrix'


def predict_on_matrix(input_matrix, provided_columns_names=None):
    return np.array([[helper.ANSWER]]), (__name__,)


def info():
    return [], []
