from django.db import migrations

from csrprogram.roles import grant_role_permissions

_STAFF_CHANGE = [
    "placements.view_jobopening", "placements.add_jobopening", "placements.change_jobopening",
    "placements.view_candidacy", "placements.add_candidacy", "placements.change_candidacy",
    "placements.view_placement", "placements.add_placement", "placements.change_placement",
]
GRANTS = {
    "consultant": _STAFF_CHANGE,
    "team_leader": [
        "placements.view_jobopening", "placements.view_candidacy", "placements.view_placement",
    ],
    # Company contacts see their own company's openings and decide on presented candidates;
    # the views scope every query to the contact's company.
    "company_contact": [
        "placements.view_jobopening", "placements.view_candidacy",
        "placements.change_candidacy",
    ],
    "administrator": [*_STAFF_CHANGE, "placements.delete_jobopening",
                      "placements.delete_candidacy", "placements.delete_placement"],
}


def grant(apps, schema_editor):
    grant_role_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("placements", "0001_initial"), ("csrprogram", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
