"""The Python reference model server: ODAHU's docker-rest handler semantics (odahu-packager's
Flask app, see shared/spec/odahu-compat.md sections 1.5 and 3.6), written by us from the spec, to
measure our server side by side with what ODAHU users run today.

Run it like ODAHU's image does, under gunicorn with the artifact root on the Python path:
  ODAHU_ARTIFACT=DIR ODAHU_MODEL_NAME=wine ODAHU_MODEL_VERSION=1.0 \
  gunicorn --chdir DIR --pythonpath DIR,THIS_DIR -w 1 --threads 4 -b 127.0.0.1:5001 reference_server:app

Deviations, forced by Debian's packages: the standard json module stands in for orjson (same
compact output; NaN/Infinity become null as orjson does) and Flask 2.2 for Flask 1.1.
"""
import json
import os
import sys

from flask import Flask, Response, jsonify, request

ARTIFACT = os.environ['ODAHU_ARTIFACT']
if ARTIFACT not in sys.path:
    sys.path.insert(0, ARTIFACT)
os.environ.setdefault('MODEL_LOCATION', os.path.join(ARTIFACT, 'odahuflow_model'))

import odahuflow_model.entrypoint as entrypoint  # noqa: E402  ODAHU imports this fixed module name

app = Flask(__name__)
SUPPORTED_PREDICTION_MODE = entrypoint.init()


def error(message):
    return Response(response=json.dumps({'message': message}), status=500, mimetype='application/json')


def _plain(value):
    if hasattr(value, 'tolist'):
        return value.tolist()
    raise TypeError('Object of type %s is not JSON serializable' % type(value).__name__)


def _finite(value):
    if isinstance(value, float):
        return value if value - value == 0 else None
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


def dumps(value):
    try:
        return json.dumps(value, separators=(',', ':'), default=_plain, allow_nan=False)
    except ValueError:
        return json.dumps(_finite(json.loads(json.dumps(value, default=_plain))), separators=(',', ':'))


def input_props(schema):
    return {
        'columns': {'example': [p['name'] for p in schema], 'items': {'type': 'string'}, 'type': 'array'},
        'data': {'items': {'items': {'type': 'number'}, 'type': 'array'}, 'type': 'array',
                 'example': [[p['example'] for p in schema]]},
    }


def output_props(schema):
    return {
        'prediction': {'example': [[p['example'] for p in schema]], 'items': {'type': 'number'}, 'type': 'array'},
        'columns': {'example': [p['name'] for p in schema], 'items': {'type': 'string'}, 'type': 'array'},
    }


@app.route('/api/model/info', methods=['GET'])
def info():
    input_schema, output_schema = entrypoint.info()
    return jsonify({
        'swagger': '2.0',
        'info': {
            'description': 'This is a EDI server.',
            'title': os.getenv('ODAHU_MODEL_NAME'),
            'termsOfService': 'http://swagger.io/terms/',
            'contact': {},
            'license': {'name': 'Apache 2.0', 'url': 'http://www.apache.org/licenses/LICENSE-2.0.html'},
            'version': os.getenv('ODAHU_MODEL_VERSION'),
        },
        'schemes': ['https'],
        'host': '',
        'basePath': '',
        'paths': {
            '/api/model/info': {'get': {
                'description': 'Return a swagger info about model', 'consumes': [],
                'produces': ['application/json'], 'summary': 'Info',
                'responses': {'200': {'description': 'Info', 'type': 'object'}}}},
            '/api/model/invoke': {'post': {
                'description': 'Execute prediction', 'consumes': ['application/json'],
                'produces': ['application/json'], 'summary': 'Prediction',
                'parameters': [{'in': 'body', 'name': 'PredictionParameters', 'required': True,
                                'schema': {'properties': input_props(input_schema), 'type': 'object'}}],
                'responses': {'200': {'description': 'Results of prediction', 'name': 'PredictionResponse',
                                      'properties': output_props(output_schema)},
                              'type': 'object'}}},
        },
    })


@app.route('/healthcheck', methods=['GET'])
def healthcheck():
    return jsonify({'status': True})


@app.route('/api/model/invoke', methods=['POST'])
def invoke():
    if not request.data:
        return error('Please provide data with this POST request')
    try:
        text = request.data.decode('utf-8')
    except UnicodeDecodeError as decode_error:
        return error('Can not decode POST data using utf-8 charset: %s' % decode_error)
    try:
        body = json.loads(text)
    except ValueError as value_error:
        return error('Can not parse input as JSON: %s' % value_error)
    if SUPPORTED_PREDICTION_MODE == 'objects':
        return error('Can not handle this types of requests')
    if SUPPORTED_PREDICTION_MODE != 'matrix':
        return error("Unknown model's return type: %s" % SUPPORTED_PREDICTION_MODE)
    matrix = body.get('data')
    if not matrix:
        return error('Matrix is not provided')
    try:
        prediction, columns = entrypoint.predict_on_matrix(matrix, provided_columns_names=body.get('columns', None))
    except Exception as predict_exception:
        return error('Exception during prediction: %s' % predict_exception)
    response = Response(response=dumps({'prediction': prediction, 'columns': columns}), status=200,
                        mimetype='application/json')
    response.headers['Model-Name'] = os.getenv('ODAHU_MODEL_NAME')
    response.headers['Model-Version'] = os.getenv('ODAHU_MODEL_VERSION')
    return response
