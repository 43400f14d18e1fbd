"""A test model that imports its library in init(), as ODAHU's MLflow wrapper imports mlflow, and the
library is missing (ODAHU's mlflow_gppi_lib_missed case)."""


def init():
    import odahu_missing_library  # noqa: F401
    return 'matrix'
