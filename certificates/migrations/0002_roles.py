from django.db import migrations

from csrprogram.roles import grant_role_permissions

GRANTS = {
    "consultant": ["certificates.view_certificate"],
    "team_leader": [
        "certificates.view_certificate", "certificates.issue_certificate",
        "certificates.revoke_certificate", "certificates.view_renderbatch",
        "certificates.add_renderbatch",
    ],
    "administrator": [
        "certificates.view_certificate", "certificates.issue_certificate",
        "certificates.revoke_certificate", "certificates.view_renderbatch",
        "certificates.add_renderbatch",
    ],
}


def grant(apps, schema_editor):
    grant_role_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_initial"), ("csrprogram", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
