"""Editors change the site settings (the publisher's logo, the image for articles without a photo), as
the README says; until now only superusers could open them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_sitesettings", "change_sitesettings"]


def grant(apps, schema_editor):
    # Permissions are normally made after migrations run; make them now so the group can hold them.
    app_config = apps.get_app_config("core")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="core", codename__in=CODENAMES)
    for editors in Group.objects.filter(name="Editors"):
        editors.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="core", codename__in=CODENAMES)
    for editors in Group.objects.filter(name="Editors"):
        editors.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("articles", "0012_writers_choose_subjects"), ("core", "0001_site_settings")]

    operations = [migrations.RunPython(grant, revoke)]
