"""GPPI entrypoint of the wine example.

Follows the behaviour of ODAHU's MLflow entrypoint template (odahu-trainer): the input matrix
becomes a DataFrame, which is reindexed by the training columns (head_input.pkl) when the caller
names its columns; output columns come from head_output.pkl; info() is derived from the pickles'
dtypes. Unlike the template, the model is a plain pickle instead of an MLflow pyfunc.
"""
import functools
import os
import pickle

import numpy as np
import pandas as pd

MODEL = None


def _location():
    return os.getenv('MODEL_LOCATION', '.')


@functools.lru_cache()
def _head(name):
    path = os.path.join(_location(), name)
    return pd.read_pickle(path) if os.path.exists(path) else None


def init():
    global MODEL
    with open(os.path.join(_location(), 'model.pkl'), 'rb') as model_file:
        MODEL = pickle.load(model_file)
    return 'matrix'


def predict_on_matrix(input_matrix, provided_columns_names=None):
    frame = pd.DataFrame(input_matrix, columns=provided_columns_names)
    head_input = _head('head_input.pkl')
    if provided_columns_names is not None and head_input is not None:
        frame = frame.reindex(columns=head_input.columns)
    result = MODEL.predict(frame)
    head_output = _head('head_output.pkl')
    columns = list(head_output.columns) if head_output is not None else []
    if hasattr(result, 'columns'):
        columns = list(result.columns)
    if isinstance(result, (pd.Series, pd.DataFrame)):
        result = result.to_numpy()
    elif isinstance(result, list):
        result = np.array(result)
    return result, tuple(columns)


def _type_and_example(dtype):
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_complex_dtype(dtype):
        return 'string', ''
    if pd.api.types.is_integer_dtype(dtype):
        return 'integer', 0
    if pd.api.types.is_float_dtype(dtype):
        return 'number', 0
    if pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype):
        return 'string', ''
    return None, None


def _schema(frame):
    if frame is None:
        return []
    schema = []
    for name, dtype in frame.dtypes.items():
        kind, example = _type_and_example(dtype)
        schema.append({'name': name, 'type': kind, 'example': example, 'required': True})
    return schema


@functools.lru_cache()
def info():
    return _schema(_head('head_input.pkl')), _schema(_head('head_output.pkl'))
