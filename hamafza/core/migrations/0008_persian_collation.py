"""The ``fa_ir`` collation (Persian order) on PostgreSQL, from ICU. SQLite registers it on
every connection instead (core/collation.py)."""

from django.db import migrations

CREATE = "CREATE COLLATION IF NOT EXISTS fa_ir (provider = icu, locale = 'fa-IR')"
DROP = "DROP COLLATION IF EXISTS fa_ir"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0007_worker_heartbeats")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
