"""A test model whose init() takes a minute."""
import time


def init():
    time.sleep(60)
    return 'matrix'
