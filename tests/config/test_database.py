import psycopg
from django.db import connection


def test_the_database_is_postgresql_through_psycopg3(db):
    assert connection.vendor == "postgresql"
    assert connection.Database is psycopg
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('server_version_num')::int, current_setting('TimeZone')"
        )
        version, _ = cursor.fetchone()
    assert version >= 150000
