"""Writers choose minerals and countries from those the desk keeps; adding one is for Editors."""

from django.db import migrations

CODENAMES = ["add_mineral", "add_country"]


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for writers in Group.objects.filter(name="Writers"):
        writers.permissions.remove(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=CODENAMES)
        )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for writers in Group.objects.filter(name="Writers"):
        writers.permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_section_and_country_aliases")]

    operations = [migrations.RunPython(revoke, grant)]
