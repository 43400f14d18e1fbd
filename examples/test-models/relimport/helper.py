"""The model's own module, next to its entrypoint."""
ANSWER = 42
