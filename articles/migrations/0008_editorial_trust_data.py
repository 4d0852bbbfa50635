"""Start the editorial record from what is there: "Updated" times as they were, the disclaimer each
published article shows today kept as the one it was published with, an undated first entry in
each source's ownership history, and the new permissions for Editors and Writers."""

from string import Formatter

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import F

NO_SOURCE_FACTS = {
    "source": "an unnamed source",
    "country": "an unstated country",
    "owner": "an undisclosed owner",
    "controller": "an undisclosed controller",
    "kind": "outlet",
}


def _fill(text, facts):
    try:
        parts = list(Formatter().parse(text))
    except ValueError:
        return text.replace("{", "").replace("}", "")
    return "".join(
        literal + (facts.get(name, "") if name is not None else "") for literal, name, _, _ in parts
    )


def _facts(source):
    if source is None:
        return NO_SOURCE_FACTS
    return {
        "source": source.name,
        "country": source.country.name if source.country_id else "an unstated country",
        "owner": source.owner or "an undisclosed owner",
        "controller": source.controlled_by or source.owner or "an undisclosed controller",
        "kind": source.get_kind_display().lower(),
    }


def forwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Citation = apps.get_model("articles", "Citation")
    Source = apps.get_model("articles", "Source")
    SourceOwnership = apps.get_model("articles", "SourceOwnership")

    Article.objects.update(content_updated_at=F("updated_at"))

    for article in Article.objects.filter(status="published").select_related("disclaimer").iterator():
        lead = (
            Citation.objects.filter(article=article)
            .order_by("position", "id")
            .select_related("source__country", "source__default_disclaimer")
            .first()
        )
        source = lead.source if lead else None
        disclaimer = article.disclaimer or (source.default_disclaimer if source else None)
        text = _fill(disclaimer.text, _facts(source)) if disclaimer else ""
        Article.objects.filter(pk=article.pk).update(
            published_disclaimer=text, disclaimer_frozen_at=article.updated_at
        )

    SourceOwnership.objects.bulk_create(
        SourceOwnership(source=source, owner=source.owner, controlled_by=source.controlled_by, since=None)
        for source in Source.objects.exclude(owner="", controlled_by="")
    )

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission").objects.filter(content_type__app_label="articles")
    grants = {
        "Editors": [
            f"{action}_{model}"
            for model in ("correction", "sourceownership")
            for action in ("add", "change", "delete", "view")
        ],
        "Writers": [
            "view_correction",
            "add_sourceownership",
            "change_sourceownership",
            "view_sourceownership",
        ],
    }
    for name, codenames in grants.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*Permission.filter(codename__in=codenames))


def backwards(apps, schema_editor):
    """The schema migration before this one drops what this fills in."""


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_editorial_trust"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
