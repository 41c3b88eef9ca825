"""The access log becomes append-only.

On PostgreSQL a trigger refuses every UPDATE and DELETE of citizens_accesslog, so not even a
bug or a hand-written query in the application can rewrite who read a citizen's record. Other
databases (the embedded SQLite of a developer's machine) rely on the application alone.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION citizens_accesslog_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'citizens_accesslog is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
TRIGGER_SQL = """
CREATE TRIGGER citizens_accesslog_append_only
BEFORE UPDATE OR DELETE ON citizens_accesslog
FOR EACH ROW EXECUTE FUNCTION citizens_accesslog_refuse_change();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS citizens_accesslog_append_only ON citizens_accesslog;
DROP FUNCTION IF EXISTS citizens_accesslog_refuse_change();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION_SQL, params=None)
        schema_editor.execute(TRIGGER_SQL, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('citizens', '0003_enrolment_reopen'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='accesslog',
            name='action',
            field=models.CharField(choices=[('view', 'Visning'), ('list', 'Visning i liste'), ('create', 'Oprettelse'), ('change', 'Ændring'), ('lookup', 'CPR-opslag'), ('export', 'Eksport')], max_length=10, verbose_name='handling'),
        ),
        migrations.AlterField(
            model_name='accesslog',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='bruger'),
        ),
        migrations.AlterField(
            model_name='accesslog',
            name='citizen',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='access_logs', to='citizens.citizen', verbose_name='borger'),
        ),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
