"""A test model that answers with what ODAHU's MLflow wrapper makes of a request: the pandas
DataFrame built from the matrix and the column names, described as [[rows, columns, missing values]]
with the frame's column names. Whatever pandas refuses, it raises."""
import numpy as np
import pandas as pd


def init():
    return 'matrix'


def predict_on_matrix(input_matrix, provided_columns_names=None):
    frame = pd.DataFrame(input_matrix, columns=provided_columns_names)
    described = [[frame.shape[0], frame.shape[1], int(frame.isna().sum().sum())]]
    return np.array(described), tuple(str(column) for column in frame.columns)


def info():
    return [], []
