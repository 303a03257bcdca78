"""Role groups for data migrations: one auth group per membership role, named after the role.

Members are put into their roles' groups by Membership.sync_groups(). Apps grant their own
models' permissions to the groups from a data migration of their own, for example::

    GRANTS = {"coordinator": ["situation.add_entry", ...], "viewer": ["situation.view_entry"]}
    migrations.RunPython(partial(grant, grants=GRANTS), partial(revoke, grants=GRANTS))

with ``from promises.groups import grant, revoke``.
"""

from django.contrib.auth.management import create_permissions

ROLES = ["coordinator", "police", "viewer"]


def _permissions(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    found = []
    for name in codenames:
        app_label, codename = name.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def _create_missing_permissions(apps):
    # Permissions are normally created after all migrations ran; a fresh database needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant(apps, schema_editor, *, grants):
    """Give each role group (created if missing) the permissions "app_label.codename" listed."""
    _create_missing_permissions(apps)
    Group = apps.get_model("auth", "Group")
    for role, codenames in grants.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*_permissions(apps, codenames))


def revoke(apps, schema_editor, *, grants):
    Group = apps.get_model("auth", "Group")
    for role, codenames in grants.items():
        group = Group.objects.filter(name=role).first()
        if group:
            group.permissions.remove(*_permissions(apps, codenames))
