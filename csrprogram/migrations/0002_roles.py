from django.db import migrations

from csrprogram.roles import grant_role_permissions

GRANTS = {
    "consultant": ["csrprogram.view_programme"],
    "team_leader": ["csrprogram.view_programme", "csrprogram.change_programme"],
    "company_contact": [],
    "administrator": [
        "csrprogram.view_user", "csrprogram.add_user", "csrprogram.change_user",
        "csrprogram.delete_user", "auth.view_group", "auth.change_group",
        "csrprogram.view_programme", "csrprogram.add_programme",
        "csrprogram.change_programme", "csrprogram.delete_programme",
    ],
}


def create_roles(apps, schema_editor):
    grant_role_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("csrprogram", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
