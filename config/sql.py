"""Helpers for the few queries written as SQL."""

from collections.abc import Iterable


def heltall(verdier: Iterable[int]) -> str:
    """Integers for a ``%s::integer[]`` parameter, as one PostgreSQL array literal. psycopg
    quotes a list element by element in Python, which for the thousands of numbers behind a
    school's absence figures took longer than the query; a string is one value."""
    return "{" + ",".join(str(int(v)) for v in verdier) + "}"
