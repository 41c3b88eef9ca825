from django.db import migrations

from csrprogram.roles import grant_role_permissions

GRANTS = {
    "consultant": [
        "companies.view_company", "companies.add_company", "companies.change_company",
        "companies.view_contactperson", "companies.add_contactperson",
        "companies.change_contactperson", "companies.delete_contactperson",
    ],
    "team_leader": ["companies.view_company", "companies.view_contactperson"],
    "administrator": [
        "companies.view_company", "companies.add_company", "companies.change_company",
        "companies.delete_company", "companies.view_contactperson",
        "companies.add_contactperson", "companies.change_contactperson",
        "companies.delete_contactperson",
    ],
}


def grant(apps, schema_editor):
    grant_role_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("companies", "0001_initial"), ("csrprogram", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
