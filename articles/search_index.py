"""
Keeps the search index in step with the articles: the one place that writes it.

    index_articles(article_ids)   after saving or deleting articles, by any path
    index_subject(subject)        after renaming a section, mineral, country, source or author
    rebuild_index()               everything again (manage.py rebuild_search_index)

The index holds every published article, live or scheduled (search asks for "due by
now" itself), with its title, dek, subjects (section, minerals with their symbols and
aliases, countries, authors, cited sources) and body text, and the facets filters
narrow by. It is written in the caller's transaction: a rolled-back edit leaves no
trace, and readers never see an article the index has not caught up with.
"""

from collections import defaultdict
from datetime import datetime, timezone as dt_timezone

from django.apps import apps as global_apps
from django.db import connections, transaction
from django.db.models import Min

from articles import search_backends
from articles.search_text import Document, Field, plain_text

CHUNK = 1000
_ID_BITS = 24
# Fields of a subject that are searched for: renaming one re-indexes the subject's articles.
SEARCHED_SUBJECT_FIELDS = {
    "section": ("name",), "mineral": ("name", "symbol", "aliases"), "country": ("name",),
    "source": ("name",), "author": ("name",),
}
# Fields of an article whose change makes its entry stale.
INDEXED_FIELDS = frozenset({"title", "dek", "highlights", "body", "status", "publish_at", "section", "section_id"})


def recency(moment, article_id=0):
    """Order newest first by publish time to the second, then id; an index key on both databases."""
    seconds = int(moment.timestamp() // 1)
    return (seconds << _ID_BITS) + (article_id & ((1 << _ID_BITS) - 1))


def recency_bound(moment):
    """The lowest recency of anything published at or after `moment` (to the second)."""
    return recency(moment) if moment.microsecond == 0 else recency(moment) + (1 << _ID_BITS)


def recency_time(key):
    return datetime.fromtimestamp(key >> _ID_BITS, tz=dt_timezone.utc)


def facet(kind, pk):
    return f"{kind}{pk}"


def subject_facet(subject):
    return facet(subject._meta.model_name, subject.pk)


def _models(apps):
    get = (apps or global_apps).get_model
    names = ("Article", "SearchEntry", "SearchFacet", "TaggedMineral", "TaggedCountry", "Citation")
    models = {name: get("articles", name) for name in names}
    models["ArticleAuthor"] = models["Article"].authors.through
    return models


def _documents(article_ids, models, using):
    """(article id, publish time, Document) for each published article among the ids, in a fixed number of queries."""
    rows = list(
        models["Article"].objects.using(using)
        .filter(pk__in=article_ids, status="published")
        .values_list("pk", "title", "dek", "highlights", "body", "publish_at", "section_id", "section__name")
    )
    ids = [row[0] for row in rows]
    names, facets = defaultdict(list), defaultdict(list)
    relations = [
        ("TaggedMineral", "content_object_id", "tag", "mineral", ("tag__name", "tag__symbol", "tag__aliases")),
        ("TaggedCountry", "content_object_id", "tag", "country", ("tag__name",)),
        ("ArticleAuthor", "article_id", "author", "author", ("author__name",)),
        ("Citation", "article_id", "source", "source", ("source__name",)),
    ]
    for model, article_field, subject_field, kind, name_fields in relations:
        found = (
            models[model].objects.using(using).filter(**{f"{article_field}__in": ids})
            .values_list(article_field, f"{subject_field}_id", *name_fields)
        )
        for article_id, subject_id, *values in found:
            if kind == "mineral":
                name, symbol, aliases = values
                values = [name, symbol, *aliases.split(",")]
            names[article_id].extend(value.strip() for value in values if value and value.strip())
            facets[article_id].append(facet(kind, subject_id))
    for pk, title, dek, highlights, body, publish_at, section_id, section_name in rows:
        document = Document(
            title=Field.of(title),
            dek=Field.of(dek),
            subjects=Field.of(section_name, *names[pk]),
            body=Field.of(highlights, plain_text(body)),
            facets=list(dict.fromkeys(["all", facet("section", section_id), *facets[pk]])),
        )
        yield pk, publish_at, document


def _entry(models, using, pk, document, key):
    fields = {"article_id": pk, "recency": key, "facets": " ".join(document.facets)}
    if connections[using].vendor == "postgresql":
        fields["vector"] = search_backends.postgres_vector(document)
    else:
        fields.update(search_backends.sqlite_columns(document))
    return models["SearchEntry"](**fields)


def _free_key(wanted, taken):
    # Two articles published in the same second whose ids agree in their low bits: the
    # later one takes the next free key, which keeps the order within that second.
    while wanted in taken:
        wanted += 1
    taken.add(wanted)
    return wanted


def _assign_keys(entries, wanted):
    """{article id: a recency no other entry holds}, starting from the wanted ones (one query when none clash)."""
    taken, keys = set(), {}
    for pk, key in sorted(wanted.items(), key=lambda item: item[1]):
        keys[pk] = _free_key(key, taken)
    while clashing := set(entries.filter(recency__in=list(keys.values())).values_list("recency", flat=True)):
        taken |= clashing
        for pk, key in keys.items():
            if key in clashing:
                keys[pk] = _free_key(key, taken)
    return keys


def index_articles(article_ids, *, using="default", apps=None):
    """Bring the index in line with these articles as they now are: added, refreshed or removed.

    Call it after any write of an article (its fields, status, schedule, tags, authors or
    citations) and after deleting articles. Returns how many are now indexed.
    """
    article_ids = set(article_ids)
    if not article_ids:
        return 0
    models = _models(apps)
    entries = models["SearchEntry"].objects.using(using)
    indexed = 0
    with transaction.atomic(using=using):
        ordered = sorted(article_ids)
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start:start + CHUNK]
            old = defaultdict(set)  # facet: the seconds its articles in this chunk were indexed at
            for key, facets in entries.filter(article_id__in=chunk).values_list("recency", "facets"):
                for token in facets.split():
                    old[token].add(_second(key))
            entries.filter(article_id__in=chunk).delete()
            documents = list(_documents(chunk, models, using))
            keys = _assign_keys(entries, {pk: recency(publish_at, pk) for pk, publish_at, _ in documents})
            new = {}  # facet: the earliest second of its articles in this chunk
            for pk, _, document in documents:
                for token in document.facets:
                    new[token] = min(new.get(token, _second(keys[pk])), _second(keys[pk]))
            _insert(entries, [_entry(models, using, pk, document, keys[pk]) for pk, _, document in documents], using)
            indexed += len(documents)
            _update_facets(old, new, models, using)
    return indexed


def _insert(entries, new, using):
    if not new:
        return
    if connections[using].vendor != "postgresql":
        entries.bulk_create(new)
        return
    # The vector arrives as a tsvector literal, cast here; the SQLite-only fields stay empty.
    values = ", ".join(["(%s, %s, '', '', '', '', %s, %s::tsvector)"] * len(new))
    params = [value for entry in new for value in (entry.article_id, entry.recency, entry.facets, entry.vector)]
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {search_backends.ENTRY_TABLE} "
            f"(article_id, recency, title, dek, subjects, body, facets, vector) VALUES {values}",
            params,
        )


def _second(key):
    return key >> _ID_BITS << _ID_BITS


def _update_facets(old, new, models, using):
    """Move each subject's earliest published article after a change of some of its articles.

    An article that is now the earliest moves the mark earlier; only when the article that
    held the mark leaves or moves later is the earliest looked up again among the articles.
    """
    lookups = _subject_lookups()
    tokens = {token: token.rstrip("0123456789") for token in set(old) | set(new)}
    tokens = {token: (kind, int(token[len(kind):])) for token, kind in tokens.items() if kind in lookups and kind != token}
    if not tokens:
        return
    rows = models["SearchFacet"].objects.using(using)
    current = {
        (kind, subject_id): earliest for kind, subject_id, earliest in rows.filter(
            kind__in={kind for kind, _ in tokens.values()}, subject_id__in={pk for _, pk in tokens.values()}
        ).values_list("kind", "subject_id", "earliest")
    }
    for token, (kind, subject_id) in tokens.items():
        mark, earliest = current.get((kind, subject_id)), new.get(token)
        if mark is not None and mark in old.get(token, ()) and (earliest is None or earliest > mark):
            earliest = _earliest_published(kind, subject_id, lookups[kind], models, using)
            if earliest is None:
                rows.filter(kind=kind, subject_id=subject_id).delete()
                continue
        elif earliest is None or (mark is not None and earliest >= mark):
            continue
        rows.update_or_create(kind=kind, subject_id=subject_id, defaults={"earliest": earliest})


def _earliest_published(kind, subject_id, lookup, models, using):
    articles = models["Article"].objects.using(using)
    if lookup == "section":
        about = articles.filter(section_id=subject_id)
    else:
        about = articles.filter(pk__in=articles.filter(**{f"{lookup}__pk": subject_id}).values("pk"))
    earliest = about.filter(status="published").aggregate(earliest=Min("publish_at"))["earliest"]
    return None if earliest is None else recency(earliest)


def _subject_lookups():
    """How an article reaches each kind of subject, by the subject's model name."""
    from articles.models import SUBJECT_LOOKUPS

    return {model._meta.model_name: lookup for model, lookup in SUBJECT_LOOKUPS.items()}


def subject_article_ids(subject, *, using="default"):
    """Ids of every article about a subject, in any status (to re-index around a rename or delete)."""
    from articles.models import Article

    return list(Article.objects.using(using).about(subject).values_list("pk", flat=True))


def index_subject(subject, *, using="default"):
    """Re-index the articles about a subject whose searched names (name, symbol, aliases) changed."""
    return index_articles(subject_article_ids(subject, using=using), using=using)


def rebuild_index(*, using="default", apps=None, progress=None):
    """Index every published article afresh, in bulk; returns how many are indexed."""
    models = _models(apps)
    entries = models["SearchEntry"].objects.using(using)
    ids = list(models["Article"].objects.using(using).filter(status="published").order_by("pk")
               .values_list("pk", flat=True))
    earliest, taken, done = {}, set(), 0
    postgres = connections[using].vendor == "postgresql"
    with transaction.atomic(using=using):
        entries.all().delete()
        models["SearchFacet"].objects.using(using).all().delete()
        if postgres:  # one GIN build at the end is far quicker than growing it row by row
            with connections[using].cursor() as cursor:
                cursor.execute(f"DROP INDEX IF EXISTS {search_backends.GIN_INDEX}")
        for start in range(0, len(ids), CHUNK):
            new = []
            for pk, publish_at, document in _documents(ids[start:start + CHUNK], models, using):
                key = _free_key(recency(publish_at, pk), taken)
                new.append(_entry(models, using, pk, document, key))
                for token in document.facets:
                    earliest[token] = min(earliest.get(token, key), key)
            _insert(entries, new, using)
            done += len(new)
            if progress:
                progress(done, len(ids))
        facet_rows, lookups = [], _subject_lookups()
        for token, key in earliest.items():
            kind = token.rstrip("0123456789")
            if kind != token and kind in lookups:
                facet_rows.append(models["SearchFacet"](
                    kind=kind, subject_id=int(token[len(kind):]), earliest=key >> _ID_BITS << _ID_BITS))
        models["SearchFacet"].objects.using(using).bulk_create(facet_rows, batch_size=CHUNK)
        with connections[using].cursor() as cursor:
            if postgres:
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                for statement in search_backends.postgres_schema():
                    cursor.execute(statement)
            else:  # merge FTS5's segments into one, as a bulk load leaves many
                cursor.execute(f"INSERT INTO {search_backends.FTS_TABLE}({search_backends.FTS_TABLE}) VALUES ('optimize')")
    return done
