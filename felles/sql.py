"""Helpers for the few queries written as SQL."""

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Model


def heltall(verdier: Iterable[int]) -> str:
    """Integers for a ``%s::integer[]`` parameter, as one PostgreSQL array literal. psycopg
    quotes a list element by element in Python, which for the thousands of numbers behind a
    school's absence figures took longer than the query; a string is one value."""
    return "{" + ",".join(str(int(v)) for v in verdier) + "}"


def kolonner(model: type[Model], alias: str) -> str:
    """The model's columns, as ``modeller`` reads them: ``alias."id", alias."navn", …``."""
    return ", ".join(f'{alias}."{f.column}"' for f in model._meta.concrete_fields)


def modeller(rad: Sequence, *typer: type[Model]) -> list[Model]:
    """Instances of ``typer`` from one row of ``SELECT kolonner(A, …), kolonner(B, …)``:
    for a hot query whose building by the ORM costs more than running it. The models'
    fields must need no conversion from the database (no custom field types);
    ``tests/config/test_sql.py`` compares what is read so with what the ORM reads."""
    instanser, start = [], 0
    for model in typer:
        felt = [f.attname for f in model._meta.concrete_fields]
        instanser.append(model.from_db(connection.alias, felt, rad[start : start + len(felt)]))
        start += len(felt)
    return instanser
