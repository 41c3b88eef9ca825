"""A trigram index on the citizen's name, for the lists' name searches (issue 14).

Django's ``icontains`` on PostgreSQL is ``UPPER(name::text) LIKE UPPER('%…%')``: no b-tree
helps, so every search of the citizen, placement and work lists read all 50,000 citizens
at LARGE (≈ 100 ms a query, two queries a page). A GIN index with ``gin_trgm_ops`` on that
very expression answers it. PostgreSQL only (``pg_trgm`` is a trusted extension: the
database owner may create it); on SQLite this migration does nothing. Not in the model's
``Meta.indexes``: the index is an expression with an operator class of PostgreSQL's.
"""

from django.db import migrations

INDEX = "citizen_name_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON citizens_citizen "
        "USING gin (UPPER(name::text) gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("citizens", "0006_citizen_name_index"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
