"""Runs every example entrypoint in this interpreter the way a GPPI caller does.

Run with Debian's interpreter:  ODAHU_EXAMPLES=DIR /usr/bin/python3 -m unittest discover -s tests
where DIR holds the artifacts written by build_examples.py.
"""
import importlib.util
import json
import math
import os
import tarfile
import unittest
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ARTIFACTS = os.environ.get('ODAHU_EXAMPLES', os.path.join(HERE, '..', 'target', 'artifacts'))
WINE_GOLDEN = 6.38815779096629


def load_entrypoint(name):
    """Imports <name>/odahuflow_model/entrypoint.py as a fresh module with MODEL_LOCATION set."""
    location = os.path.join(ARTIFACTS, name, 'odahuflow_model')
    os.environ['MODEL_LOCATION'] = location
    spec = importlib.util.spec_from_file_location('entrypoint_' + name, os.path.join(location, 'entrypoint.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def wine_request():
    with open(os.path.join(HERE, '..', 'data', 'wine-request.json')) as request:
        return json.load(request)


class WineTest(unittest.TestCase):
    def setUp(self):
        self.model = load_entrypoint('wine')
        self.assertEqual('matrix', self.model.init())

    def test_golden_value_with_reordered_columns(self):
        request = wine_request()
        prediction, columns = self.model.predict_on_matrix(request['data'], provided_columns_names=request['columns'])
        self.assertEqual(('quality',), columns)
        self.assertEqual((1,), prediction.shape)
        self.assertAlmostEqual(WINE_GOLDEN, float(prediction[0]), delta=1e-9)

    def test_info_from_head_pickles(self):
        inputs, outputs = self.model.info()
        self.assertEqual(11, len(inputs))
        self.assertEqual({'name': 'fixed acidity', 'type': 'number', 'example': 0, 'required': True}, inputs[0])
        self.assertEqual([{'name': 'quality', 'type': 'number', 'example': 0, 'required': True}], outputs)

    def test_many_rows(self):
        with open(os.path.join(HERE, '..', 'data', 'wine-request-100.json')) as request_file:
            request = json.load(request_file)
        prediction, _ = self.model.predict_on_matrix(request['data'], provided_columns_names=request['columns'])
        self.assertEqual((100,), prediction.shape)
        self.assertTrue(all(3 < value < 9 for value in prediction))


class SmallModelsTest(unittest.TestCase):
    def test_simple(self):
        model = load_entrypoint('simple')
        self.assertEqual('matrix', model.init())
        prediction, columns = model.predict_on_matrix([[1, 2]], provided_columns_names=['a', 'b'])
        self.assertEqual([[42]], prediction.tolist())
        self.assertEqual(('result',), columns)

    def test_fail(self):
        model = load_entrypoint('fail')
        model.init()
        with self.assertRaisesRegex(Exception, '^Expected error$'):
            model.predict_on_matrix([[1]])

    def test_counter_counts_calls(self):
        model = load_entrypoint('counter')
        model.init()
        self.assertEqual([[1]], model.predict_on_matrix([[0]])[0].tolist())
        self.assertEqual([[2]], model.predict_on_matrix([[0], [0]])[0].tolist())

    def test_echo_keeps_rows_and_types(self):
        model = load_entrypoint('echo')
        model.init()
        rows = [[1, 2.5, 'x', None], [3, -1.0, '', True]]
        prediction, columns = model.predict_on_matrix(rows, provided_columns_names=['a', 'b', 'c', 'd'])
        self.assertEqual(rows, prediction.tolist())
        self.assertIs(int, type(prediction.tolist()[0][0]))
        self.assertEqual(('a', 'b', 'c', 'd'), columns)

    def test_pure_linear_model_by_column_name(self):
        model = load_entrypoint('pure')
        model.init()
        prediction, columns = model.predict_on_matrix([[1, 2, 3], [0, 0, 0]])
        self.assertEqual(('y',), columns)
        self.assertTrue(math.isclose(0.75 + 0.5 - 2.5 + 6.0, prediction[0][0]))
        self.assertEqual([[0.75]], prediction[1:])
        reordered, _ = model.predict_on_matrix([[3, 1, 2]], provided_columns_names=['x3', 'x1', 'x2'])
        self.assertEqual(prediction[0], reordered[0])


class ArchiveTest(unittest.TestCase):
    def test_odahu_zip_is_a_gzip_tarball_with_dot_entries(self):
        for name in ('wine', 'simple', 'fail', 'counter', 'echo', 'pure'):
            with tarfile.open(os.path.join(ARTIFACTS, name + '.zip'), 'r:gz') as tar:
                names = tar.getnames()
            self.assertIn('./odahuflow.project.yaml', names)
            self.assertIn('./odahuflow_model/entrypoint.py', names)

    def test_deflate_zip_has_the_same_files(self):
        for name in ('wine', 'simple', 'fail', 'counter', 'echo', 'pure'):
            with zipfile.ZipFile(os.path.join(ARTIFACTS, name + '.deflate.zip')) as archive:
                names = archive.namelist()
                self.assertTrue(all(i.compress_type == zipfile.ZIP_DEFLATED for i in archive.infolist()))
            self.assertIn('odahuflow.project.yaml', names)
            self.assertIn('odahuflow_model/conda.yaml', names)


if __name__ == '__main__':
    unittest.main()
