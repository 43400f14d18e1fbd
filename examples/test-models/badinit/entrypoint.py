"""A test model whose init() fails; it logs every start to $ODAHU_TEST_START_LOG."""
import os

if os.getenv('ODAHU_TEST_START_LOG'):
    with open(os.environ['ODAHU_TEST_START_LOG'], 'a') as log:
        log.write('start %d\n' % os.getpid())


def init():
    raise ValueError('cannot load weights')
