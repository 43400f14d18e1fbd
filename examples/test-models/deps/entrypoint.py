"""A test model whose packages no base image has, installed by packaging from the tests' index.

`alpha` is pure Python and brings `beta` (and `delta` on Python >= 3.10); `fastmath` is a compiled
extension. Each row [a, b] is answered with fastmath.add(a, b) and the version of the `beta` that
was installed, so a prediction shows which packages the image holds.
"""
import alpha
import beta
import fastmath


def init():
    if fastmath.add(2, 3) != 5 or not alpha.hello().startswith('alpha+beta'):
        raise RuntimeError('the installed packages misbehave')
    return 'matrix'


def predict_on_matrix(input_matrix, provided_columns_names=None):
    beta_version = float(beta.VALUE[len('beta'):])
    return [[fastmath.add(int(a), int(b)), beta_version] for a, b in input_matrix], ('sum', 'beta')


def info():
    inputs = [{'name': name, 'type': 'integer', 'example': 1, 'required': True} for name in ('a', 'b')]
    outputs = [{'name': 'sum', 'type': 'integer', 'example': 2, 'required': True},
               {'name': 'beta', 'type': 'number', 'example': 2.0, 'required': True}]
    return inputs, outputs
