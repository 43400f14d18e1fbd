"""A pure-Python test model: answers each row's sum, or spins forever on the command 'spin'."""


def init():
    print('spin: init')
    return 'matrix'


def predict_on_matrix(input_matrix, provided_columns_names=None):
    if input_matrix and input_matrix[0] and input_matrix[0][0] == 'spin':
        while True:
            pass
    return [[sum(row)] for row in input_matrix], ('sum',)


def info():
    return [{'name': 'x', 'type': 'number', 'example': 1}], [{'name': 'sum', 'type': 'number', 'example': 1}]
