"""`python -m jixiao` runs the CLI."""

from jixiao.cli import app

app()
