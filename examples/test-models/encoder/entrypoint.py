"""A test model whose answers only its own JSON encoder (get_output_json_serializer) writes as it
means them: a Decimal as a string with a currency, a datetime in a day-first format; numpy integers
it leaves to the default encoder. $ODAHU_TEST_SERIALIZER makes get_output_json_serializer() return
an instance of the encoder (`instance`) or raise (`raise`)."""
import datetime
import decimal
import json
import os

import numpy as np


class PriceEncoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, decimal.Decimal):
            return 'EUR %s' % o
        if isinstance(o, datetime.datetime):
            return o.strftime('%d.%m.%Y %H:%M')
        return super().default(o)


def init():
    return 'matrix'


def predict_on_matrix(input_matrix, provided_columns_names=None):
    rows = [[decimal.Decimal('1.10'), datetime.datetime(2026, 1, 2, 3, 4), np.int64(7)] for _ in input_matrix]
    return rows, ('price', 'at', 'count')


def info():
    return [{'name': 'x', 'type': 'number', 'example': 1}], [{'name': 'price', 'type': 'string', 'example': 'EUR 1'}]


def get_output_json_serializer():
    how = os.environ.get('ODAHU_TEST_SERIALIZER')
    if how == 'raise':
        raise RuntimeError('no serializer today')
    if how == 'instance':
        return PriceEncoder()
    return PriceEncoder
