"""A test model whose dependencies are missing."""
import odahu_missing_dependency  # noqa: F401


def init():
    return 'matrix'
