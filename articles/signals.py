"""Keeps derived data in step with every write of an article or its subjects, whatever path wrote
them: former addresses of renamed articles, the dated ownership history of sources, the search
index (see articles.search.index), and the cleaned body of rows loaded from fixtures.

The receivers hear of saves, deletes, tag, byline and citation changes, and subject renames; each
change is indexed in the transaction that made it. `connect()` (from ArticlesConfig.ready) is the
one place they are connected.

Where a change can only be known before the write and acted on after it (a subject renamed, the
articles a deleted subject was on), the pre- receiver hands its finding to the post- receiver
through `_handoff`, keyed by the row: nothing is left on the instance for others to find.
"""

import threading

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from articles import services, subjects
from articles.models import Article, Citation, Source, TaggedCountry, TaggedMineral
from articles.search.index import INDEXED_FIELDS, SEARCHED_SUBJECT_FIELDS, index_articles, subject_article_ids
from core.sanitizer import clean_article_html

# The five subjects an article is about, from their one declaration.
SUBJECT_MODELS = tuple(kind.model for kind in subjects.SUBJECTS)


class _Handoff(threading.local):
    """What a pre- receiver found for its post- partner, for one row's write, by (what, model, pk)."""

    def __init__(self):
        self.found = {}

    def put(self, what, instance, value):
        self.found[(what, instance._meta.label, instance.pk)] = value

    def take(self, what, instance, default=None):
        return self.found.pop((what, instance._meta.label, instance.pk), default)


_handoff = _Handoff()


def article_clean_raw_body(sender, instance, raw=False, **kwargs):
    # A fixture (manage.py loaddata) saves rows as they are, without Article.save(); its body is
    # cleaned all the same.
    if raw:
        instance.body = clean_article_html(instance.body)


def article_record_former_slug(sender, instance, raw=False, using="default", update_fields=None, **kwargs):
    # A rename from the admin, a command, an import or the shell keeps the old address answering. The
    # row as stored before this save is read here, so any path that saves an article is covered.
    if raw or instance.pk is None or (update_fields is not None and "slug" not in update_fields):
        return
    previous = (
        Article.objects.using(using).filter(pk=instance.pk).only("slug", "status", "publish_at").first()
    )
    services.article_record_slug_change(article=instance, previous=previous)


def source_record_changed_ownership(sender, instance, raw=False, using="default", **kwargs):
    # A new owner or controller of a registered source, from the admin, a command or the shell, is
    # dated in the history (a new source's first owner is recorded once it has an id, below).
    if raw or instance.pk is None:
        return
    previous = (
        Source.objects.using(using).filter(pk=instance.pk).values_list("owner", "controlled_by").first()
    )
    if previous is not None:
        services.source_record_ownership(source=instance, previous=previous)


def source_record_first_ownership(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        services.source_record_ownership(source=instance, previous=None)


def article_saved(sender, instance, raw=False, using="default", update_fields=None, **kwargs):
    if raw:
        return
    if update_fields is not None and not INDEXED_FIELDS.intersection(update_fields):
        return  # a save of other fields (comments switch, featured flag) leaves the entry as it was
    index_articles([instance.pk], using=using)


def article_deleted(sender, instance, using="default", **kwargs):
    index_articles([instance.pk], using=using)


def relation_changed(sender, instance, action, reverse, pk_set, using="default", **kwargs):
    if action == "pre_clear" and reverse:
        # The subject's side: which articles lose it is known only before the clear.
        _handoff.put("cleared", instance, subject_article_ids(instance, using=using))
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        index_articles([instance.pk], using=using)
    elif action == "post_clear":
        index_articles(_handoff.take("cleared", instance, ()), using=using)
    else:
        index_articles(pk_set or (), using=using)


def citation_changed(sender, instance, raw=False, using="default", **kwargs):
    if not raw:
        index_articles([instance.article_id], using=using)


def _searched_names(subject):
    return tuple(getattr(subject, name) for name in SEARCHED_SUBJECT_FIELDS[subject._meta.model_name])


def subject_saving(sender, instance, raw=False, using="default", **kwargs):
    if raw or instance.pk is None:
        return
    previous = sender.objects.using(using).filter(pk=instance.pk).first()
    if previous is not None and _searched_names(previous) != _searched_names(instance):
        _handoff.put("renamed", instance, True)


def subject_saved(sender, instance, created, raw=False, using="default", **kwargs):
    # A renamed subject, or a mineral with a new symbol or alias, must find its articles by the new name.
    if _handoff.take("renamed", instance) and not (created or raw):
        index_articles(subject_article_ids(instance, using=using), using=using)


def subject_deleting(sender, instance, using="default", **kwargs):
    _handoff.put("deleted", instance, subject_article_ids(instance, using=using))


def subject_deleted(sender, instance, using="default", **kwargs):
    index_articles(_handoff.take("deleted", instance, ()), using=using)


def connect():
    pre_save.connect(article_clean_raw_body, sender=Article, dispatch_uid="article_raw_body")
    pre_save.connect(article_record_former_slug, sender=Article, dispatch_uid="article_former_slug")
    pre_save.connect(source_record_changed_ownership, sender=Source, dispatch_uid="source_ownership_changed")
    post_save.connect(source_record_first_ownership, sender=Source, dispatch_uid="source_ownership_first")
    post_save.connect(article_saved, sender=Article, dispatch_uid="article_saved_search_index")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid="article_deleted_search_index")
    post_save.connect(citation_changed, sender=Citation, dispatch_uid="citation_saved_search_index")
    post_delete.connect(citation_changed, sender=Citation, dispatch_uid="citation_deleted_search_index")
    for through in (TaggedMineral, TaggedCountry, Article.authors.through):
        m2m_changed.connect(relation_changed, sender=through, dispatch_uid=f"search_index_{through.__name__}")
    for model in SUBJECT_MODELS:
        name = model.__name__
        pre_save.connect(subject_saving, sender=model, dispatch_uid=f"search_index_saving_{name}")
        post_save.connect(subject_saved, sender=model, dispatch_uid=f"search_index_saved_{name}")
        pre_delete.connect(subject_deleting, sender=model, dispatch_uid=f"search_index_deleting_{name}")
        post_delete.connect(subject_deleted, sender=model, dispatch_uid=f"search_index_deleted_{name}")
