from django.db import migrations

from csrprogram.roles import grant_role_permissions

_STAFF_CHANGE = [
    "citizens.view_citizen", "citizens.add_citizen", "citizens.change_citizen",
    "citizens.view_enrolment", "citizens.add_enrolment", "citizens.change_enrolment",
    "citizens.view_consent", "citizens.add_consent", "citizens.change_consent",
]
GRANTS = {
    "consultant": _STAFF_CHANGE,
    "team_leader": [
        "citizens.view_citizen", "citizens.view_enrolment", "citizens.view_consent",
        "citizens.view_accesslog",
    ],
    "administrator": [*_STAFF_CHANGE, "citizens.delete_citizen", "citizens.delete_enrolment",
                      "citizens.delete_consent", "citizens.view_accesslog"],
}


def grant(apps, schema_editor):
    grant_role_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("citizens", "0001_initial"), ("csrprogram", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
