"""Give Editors every permission on the tracker's records and Writers what drafting needs. Who may
publish is not a tracker permission: it is the articles' publish permission (tracker.services)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITABLE = ["measure", "measureevent", "eventaccount"]
WRITER_ACTIONS = ["add", "change", "view"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    tracker = Permission.objects.filter(content_type__app_label="tracker")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *tracker.filter(
            codename__in=[
                f"{action}_{model}" for model in EDITABLE for action in ("add", "change", "delete", "view")
            ]
            + ["view_measurechange"]
        )
    )
    writers, _ = Group.objects.get_or_create(name="Writers")
    writers.permissions.add(
        *tracker.filter(
            codename__in=[f"{action}_{model}" for model in EDITABLE for action in WRITER_ACTIONS]
            + ["delete_eventaccount", "view_measurechange"]
        )
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Writers"]):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="tracker"))


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0001_initial"),
        ("articles", "0010_disclaimer_help_text"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
