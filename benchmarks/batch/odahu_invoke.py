"""ODAHU's docker-cli `invoke predict`, as its spec describes it (docs: spec/odahu-compat.md §4).

Written from the spec, not copied: the whole JSON file is loaded, init() is called, the model gets
every row in one predict_on_matrix call, and the answer is json.dump'ed. This is the baseline the
batch benchmark compares odahu-pack's streaming engine with.

usage: odahu_invoke.py MODEL_DIR ENTRYPOINT INPUT_FILE OUTPUT_FILE
"""
import importlib
import json
import os
import sys


def main():
    model_dir, entrypoint, input_file, output_file = sys.argv[1:5]
    os.environ['MODEL_LOCATION'] = model_dir
    sys.path.append(model_dir)
    module = importlib.import_module(entrypoint)
    with open(input_file) as f:
        request = json.load(f)
    if module.init() != 'matrix':
        raise SystemExit("Unknown model's return type")
    if not request.get('data'):
        raise SystemExit('Matrix is not provided')
    prediction, columns = module.predict_on_matrix(
        request['data'], provided_columns_names=request.get('columns'))
    serializer = getattr(module, 'get_output_json_serializer', lambda: None)()
    with open(output_file, 'w') as f:
        json.dump({'prediction': prediction.tolist(), 'columns': columns}, f, cls=serializer)
    print('Prediction is successful. Result file: ' + output_file)


if __name__ == '__main__':
    main()
