from django.db import migrations

from csrprogram.roles import grant_role_permissions

_CASEWORK = [
    "followups.view_visit", "followups.add_visit", "followups.change_visit",
    "followups.view_visitreschedule", "followups.add_visitreschedule",
]
GRANTS = {
    "consultant": _CASEWORK,
    # Team leaders watch the work list and receive the escalations; they do not record visits.
    "team_leader": ["followups.view_visit", "followups.view_visitreschedule"],
    "administrator": [*_CASEWORK, "followups.delete_visit", "followups.view_calendarfeed",
                      "followups.delete_calendarfeed"],
}


def grant(apps, schema_editor):
    grant_role_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("followups", "0001_initial"), ("placements", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
