from django.db import migrations

from csrprogram.roles import grant_role_permissions

GRANTS = {
    "consultant": ["csrprogram.view_target"],
    "team_leader": [
        "csrprogram.view_target", "csrprogram.add_target", "csrprogram.change_target",
        "csrprogram.delete_target", "csrprogram.view_reportjob", "csrprogram.add_reportjob",
    ],
    "company_contact": [],
    "administrator": [
        "csrprogram.view_target", "csrprogram.add_target", "csrprogram.change_target",
        "csrprogram.delete_target", "csrprogram.view_reportjob", "csrprogram.add_reportjob",
        "csrprogram.delete_reportjob",
    ],
}


def grant(apps, schema_editor):
    grant_role_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("csrprogram", "0003_targets_and_report_jobs")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
