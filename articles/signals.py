"""Keeps derived data in step with the rows it is derived from, whatever path wrote them: former
addresses of renamed articles, the dated ownership history of sources, and the search index (see
articles.search_index)."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from articles import services
from articles.models import Article, Mineral, Source, TaggedMineral
from articles.search_index import INDEXED_FIELDS, is_supported, refresh_search_vectors

_UNSET = object()


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


@receiver(post_save, sender=Article, dispatch_uid="article_search_vector")
def article_saved(sender, instance, raw=False, using="default", update_fields=None, **kwargs):
    if raw or not is_supported(using):
        return
    if update_fields is not None and not INDEXED_FIELDS.intersection(update_fields):
        return  # a status or schedule change leaves the words as they were
    refresh_search_vectors(Article.objects.using(using).filter(pk=instance.pk))


@receiver(m2m_changed, sender=TaggedMineral, dispatch_uid="article_minerals_search_vector")
def article_minerals_changed(sender, instance, action, using="default", **kwargs):
    # taggit sends these from the article's side only (instance is the Article).
    if action in {"post_add", "post_remove", "post_clear"} and is_supported(using):
        refresh_search_vectors(Article.objects.using(using).filter(pk=instance.pk))


@receiver(post_save, sender=Mineral, dispatch_uid="mineral_search_vector")
def mineral_saved(sender, instance, created, raw=False, using="default", **kwargs):
    # A new or renamed alias must find the articles already tagged with the mineral.
    if created or raw or not is_supported(using):
        return
    refresh_search_vectors(Article.objects.using(using).filter(minerals=instance))


@receiver(pre_delete, sender=Mineral, dispatch_uid="mineral_deleting_search_vector")
def mineral_deleting(sender, instance, using="default", **kwargs):
    if is_supported(using):
        instance._tagged_article_ids = list(
            TaggedMineral.objects.using(using).filter(tag=instance).values_list("content_object_id", flat=True)
        )


@receiver(post_delete, sender=Mineral, dispatch_uid="mineral_deleted_search_vector")
def mineral_deleted(sender, instance, using="default", **kwargs):
    article_ids = getattr(instance, "_tagged_article_ids", None)
    if article_ids:
        refresh_search_vectors(Article.objects.using(using).filter(pk__in=article_ids))
