"""A test model in ODAHU's never-implemented 'objects' mode."""


def init():
    return 'objects'
