from django.db import migrations

from csrprogram.roles import grant_role_permissions

GRANTS = {
    "consultant": [
        "companies.view_csrcriterion", "companies.view_csrassessment",
        "companies.add_csrassessment", "companies.view_csrassessmentanswer",
        "companies.add_csrassessmentanswer",
    ],
    "team_leader": [
        "companies.view_csrcriterion", "companies.add_csrcriterion",
        "companies.change_csrcriterion", "companies.view_csrassessment",
        "companies.view_csrassessmentanswer",
    ],
    "administrator": [
        "companies.view_csrcriterion", "companies.add_csrcriterion",
        "companies.change_csrcriterion", "companies.delete_csrcriterion",
        "companies.view_csrassessment", "companies.view_csrassessmentanswer",
    ],
}


def grant(apps, schema_editor):
    grant_role_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("companies", "0003_criteria_assessments")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
