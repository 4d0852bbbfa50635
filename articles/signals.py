"""Keeps derived data in step with every write of an article or its subjects, whatever path wrote
them: former addresses of renamed articles, the dated ownership history of sources, the search
index (see articles.search_index), and the cleaned body of rows loaded from fixtures.

The receivers hear of saves, deletes, tag, byline and citation changes, and subject renames; each
change is indexed in the transaction that made it.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from articles import services, subjects
from articles.models import Article, Citation, Source, TaggedCountry, TaggedMineral
from articles.search_index import INDEXED_FIELDS, SEARCHED_SUBJECT_FIELDS, index_articles, subject_article_ids
from core.sanitizer import clean_article_html

# The five subjects an article is about, from their one declaration.
SUBJECT_MODELS = tuple(kind.model for kind in subjects.SUBJECTS)

_UNSET = object()


@receiver(pre_save, sender=Article, dispatch_uid="article_raw_body")
def article_clean_raw_body(sender, instance, raw=False, **kwargs):
    # A fixture (manage.py loaddata) saves rows as they are, without Article.save(); its body is
    # cleaned all the same.
    if raw:
        instance.body = clean_article_html(instance.body)


@receiver(pre_save, sender=Article, dispatch_uid="article_previous_row")
def article_remember_previous_row(sender, instance, raw=False, using="default", update_fields=None, **kwargs):
    if raw or instance.pk is None or (update_fields is not None and "slug" not in update_fields):
        return
    if getattr(instance, "_previous_row", _UNSET) is _UNSET:  # article_save has read it already
        instance._previous_row = (
            Article.objects.using(using).filter(pk=instance.pk).only("slug", "status", "publish_at").first()
        )


@receiver(post_save, sender=Article, dispatch_uid="article_former_slug")
def article_record_former_slug(sender, instance, raw=False, **kwargs):
    # A rename from the admin, a command, an import or the shell keeps the old address answering.
    previous = instance.__dict__.pop("_previous_row", None)
    if not raw:
        services.article_record_slug_change(article=instance, previous=previous)


@receiver(pre_save, sender=Source, dispatch_uid="source_previous_ownership")
def source_remember_ownership(sender, instance, raw=False, using="default", **kwargs):
    instance._previous_ownership = None
    if not raw and instance.pk is not None:
        instance._previous_ownership = (
            Source.objects.using(using).filter(pk=instance.pk).values_list("owner", "controlled_by").first()
        )


@receiver(post_save, sender=Source, dispatch_uid="source_ownership_history")
def source_record_ownership(sender, instance, raw=False, **kwargs):
    # A new owner or controller, from the admin, a command or the shell, is dated in the history.
    previous = instance.__dict__.pop("_previous_ownership", None)
    if not raw:
        services.source_record_ownership(source=instance, previous=previous)


@receiver(post_save, sender=Article, dispatch_uid="article_saved_search_index")
def article_saved(sender, instance, raw=False, using="default", update_fields=None, **kwargs):
    if raw:
        return
    if update_fields is not None and not INDEXED_FIELDS.intersection(update_fields):
        return  # a save of other fields (comments switch, featured flag) leaves the entry as it was
    index_articles([instance.pk], using=using)


@receiver(post_delete, sender=Article, dispatch_uid="article_deleted_search_index")
def article_deleted(sender, instance, using="default", **kwargs):
    index_articles([instance.pk], using=using)


def _relation_changed(sender, instance, action, reverse, pk_set, using="default", **kwargs):
    if action == "pre_clear" and reverse:
        # The subject's side: which articles lose it is known only before the clear.
        instance._search_article_ids = subject_article_ids(instance, using=using)
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        index_articles([instance.pk], using=using)
    elif action == "post_clear":
        index_articles(getattr(instance, "_search_article_ids", ()), using=using)
    else:
        index_articles(pk_set or (), using=using)


for through in (TaggedMineral, TaggedCountry, Article.authors.through):
    m2m_changed.connect(_relation_changed, sender=through, dispatch_uid=f"search_index_{through.__name__}")


@receiver(post_save, sender=Citation, dispatch_uid="citation_saved_search_index")
@receiver(post_delete, sender=Citation, dispatch_uid="citation_deleted_search_index")
def citation_changed(sender, instance, raw=False, using="default", **kwargs):
    if not raw:
        index_articles([instance.article_id], using=using)


def _searched_names(subject):
    return tuple(getattr(subject, name) for name in SEARCHED_SUBJECT_FIELDS[subject._meta.model_name])


def subject_saving(sender, instance, raw=False, using="default", **kwargs):
    if raw or instance.pk is None:
        return
    previous = sender.objects.using(using).filter(pk=instance.pk).first()
    instance._search_names_before = _searched_names(previous) if previous else None


def subject_saved(sender, instance, created, raw=False, using="default", **kwargs):
    # A renamed subject, or a mineral with a new symbol or alias, must find its articles by the new name.
    before = getattr(instance, "_search_names_before", None)
    if created or raw or before is None or before == _searched_names(instance):
        return
    index_articles(subject_article_ids(instance, using=using), using=using)


def subject_deleting(sender, instance, using="default", **kwargs):
    instance._search_article_ids = subject_article_ids(instance, using=using)


def subject_deleted(sender, instance, using="default", **kwargs):
    index_articles(getattr(instance, "_search_article_ids", ()), using=using)


for subject_model in SUBJECT_MODELS:
    name = subject_model.__name__
    pre_save.connect(subject_saving, sender=subject_model, dispatch_uid=f"search_index_saving_{name}")
    post_save.connect(subject_saved, sender=subject_model, dispatch_uid=f"search_index_saved_{name}")
    pre_delete.connect(subject_deleting, sender=subject_model, dispatch_uid=f"search_index_deleting_{name}")
    post_delete.connect(subject_deleted, sender=subject_model, dispatch_uid=f"search_index_deleted_{name}")
