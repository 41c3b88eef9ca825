"""Role groups and their permissions.

Each app grants its own permissions to the roles in a data migration that calls
``grant_role_permissions``; this keeps the base free of imports from the apps above it.
"""

from django.contrib.auth.management import create_permissions


def grant_role_permissions(apps, grants: dict[str, list[str]]) -> None:
    """Create the role groups if needed and add ``app_label.codename`` permissions to them.

    Permissions are normally created after all migrations have run; a data migration needs
    them now, so they are created here for every app known to the migration state.
    """
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, names in grants.items():
        group, _created = group_model.objects.get_or_create(name=role)
        for name in names:
            app_label, codename = name.split(".", 1)
            permission = permission_model.objects.get(
                content_type__app_label=app_label, codename=codename
            )
            group.permissions.add(permission)
