"""Create the Editors and Writers groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_MODELS = ["article", "citation", "section", "author", "source", "disclaimer", "mineral", "country"]
WRITER_MODELS = {
    "article": ["add", "change", "view"],
    "citation": ["add", "change", "delete", "view"],
    "section": ["view"],
    "author": ["view"],
    "source": ["add", "change", "view"],
    "disclaimer": ["view"],
    "mineral": ["add", "change", "view"],
    "country": ["add", "change", "view"],
}


def create_groups(apps, schema_editor):
    # Permissions are normally made after migrations run; make them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    articles = Permission.objects.filter(content_type__app_label="articles")

    editors, _ = Group.objects.get_or_create(name="Editors")
    editor_codenames = [
        f"{action}_{model}" for model in EDITOR_MODELS for action in ("add", "change", "delete", "view")
    ] + ["publish_article"]
    editors.permissions.add(*articles.filter(codename__in=editor_codenames))

    writers, _ = Group.objects.get_or_create(name="Writers")
    writer_codenames = [f"{action}_{model}" for model, actions in WRITER_MODELS.items() for action in actions]
    writers.permissions.add(*articles.filter(codename__in=writer_codenames))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Writers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
