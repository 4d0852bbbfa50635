"""Let the Editors group see subscriber mails (and try unsent ones again), the workers' heartbeats and
failed background tasks."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = {
    ("newsletter", "subscribermail"): ["change", "view"],
    ("newsletter", "workerheartbeat"): ["view"],
    ("django_tasks_database", "dbtaskresult"): ["view"],
}


def grant(apps, schema_editor):
    for label in {app_label for app_label, _ in EDITOR_PERMISSIONS}:
        # Permissions are normally made after migrations run; make them now so the group can hold them.
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    for (app_label, model), actions in EDITOR_PERMISSIONS.items():
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label, codename__in=[f"{action}_{model}" for action in actions]
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Editors"):
        for (app_label, model), _actions in EDITOR_PERMISSIONS.items():
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, content_type__model=model)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0003_worker_schedule_and_retries"),
        (
            "django_tasks_database",
            "0019_rename_django_task_new_ordering_idx_tasks_db_new_ordering_idx_and_more",
        ),
    ]

    operations = [migrations.RunPython(grant, revoke)]
