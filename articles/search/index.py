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
from datetime import timezone as dt_timezone

from django.apps import apps as global_apps
from django.db import connections, transaction
from django.db.models import Min, Q
from django.utils.dateparse import parse_datetime

from articles.models import Article
from articles.recency import ID_BITS, recency, recency_time
from articles.search import backends as search_backends
from articles.search.text import Document, Field, plain_text
from articles.subjects import SUBJECTS

CHUNK = 1000
# Fields of a subject that are searched for (declared on each model): renaming one re-indexes the
# subject's articles.
SEARCHED_SUBJECT_FIELDS = {kind.model._meta.model_name: kind.model.searched_fields for kind in SUBJECTS}
# Fields of an article whose change makes its entry stale.
INDEXED_FIELDS = frozenset(
    {"title", "dek", "highlights", "body", "status", "publish_at", "section", "section_id"}
)


def facet(kind, pk):
    return f"{kind}{pk}"


def subject_facet(subject):
    return facet(subject._meta.model_name, subject.pk)


def periods(moment):
    """The year and month of a publish time (UTC) as facets: PostgreSQL narrows date ranges by them."""
    moment = moment.astimezone(dt_timezone.utc)
    return [f"y{moment.year}", f"m{moment.year}{moment.month:02}"]


def periods_between(low, high, *, most=36):
    """Facets of the months (or, for long spans, years) that cover [low, high); [] when too many to help."""
    low, high = recency_time(low), recency_time(high - 1)
    months = (high.year - low.year) * 12 + high.month - low.month + 1
    if months <= most:
        return [
            f"m{(low.month - 1 + n) // 12 + low.year}{(low.month - 1 + n) % 12 + 1:02}" for n in range(months)
        ]
    if high.year - low.year + 1 <= most:
        return [f"y{year}" for year in range(low.year, high.year + 1)]
    return []


def _models(apps):
    get = (apps or global_apps).get_model
    names = ("Article", "SearchEntry", "SearchFacet", "TaggedMineral", "TaggedCountry", "Citation")
    models = {name: get("articles", name) for name in names}
    models["ArticleAuthor"] = models["Article"].authors.through
    return models


def _documents(article_ids, models, using):
    """(article id, publish time, Document) for each published article among the ids, in two queries.

    Written in SQL from the models' own table and column names: these reads run on every
    article write, where the ORM's query building would cost more than the queries.
    """
    connection = connections[using]
    quote = connection.ops.quote_name
    article, section = (
        models["Article"]._meta,
        models["Article"]._meta.get_field("section").related_model._meta,
    )
    columns = ", ".join(
        f"a.{quote(article.get_field(name).column)}"
        for name in ("id", "title", "dek", "highlights", "body", "publish_at", "section")
    )
    placeholders = ", ".join(["%s"] * len(article_ids))
    section_column = quote(article.get_field("section").column)
    status_column = quote(article.get_field("status").column)
    section_fields = _searched(section, "section")
    section_names = ", ".join(f"s.{quote(section.get_field(name).column)}" for name in section_fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns}, {section_names} FROM {quote(article.db_table)} a "
            f"JOIN {quote(section.db_table)} s ON s.{quote(section.pk.column)} = a.{section_column} "
            f"WHERE a.{quote(article.pk.column)} IN ({placeholders}) AND a.{status_column} = %s",
            [*article_ids, "published"],
        )
        rows = [
            (*row[:5], _aware(row[5]), row[6], _names(section_fields, row[7:])) for row in cursor.fetchall()
        ]
    names, facets = defaultdict(list), defaultdict(list)
    for article_id, kind, subject_id, subject_names in _subjects(models, using, [row[0] for row in rows]):
        names[article_id].extend(subject_names)
        facets[article_id].append(facet(kind, subject_id))
    for pk, title, dek, highlights, body, publish_at, section_id, section_names in rows:
        document = Document(
            title=Field.of(title),
            dek=Field.of(dek),
            subjects=Field.of(*section_names, *names[pk]),
            body=Field.of(highlights, plain_text(body)),
            facets=list(
                dict.fromkeys(["all", facet("section", section_id), *facets[pk], *periods(publish_at)])
            ),
        )
        yield pk, publish_at, document


def _searched(meta, kind):
    """The searched fields of a subject kind that the model at hand has (a migration's model may be older)."""
    present = {field.name for field in meta.get_fields()}
    return [name for name in SEARCHED_SUBJECT_FIELDS[kind] if name in present]


def _names(fields, values):
    """The names a subject is searched by, from its searched fields' values: aliases split at commas."""
    names = []
    for name, value in zip(fields, values, strict=False):
        names.extend(value.split(",") if name == "aliases" else [value])
    return [name.strip() for name in names if name and name.strip()]


# (through model, its article field, its subject field, subject kind)
_RELATIONS = [
    ("TaggedMineral", "content_object", "tag", "mineral"),
    ("TaggedCountry", "content_object", "tag", "country"),
    ("ArticleAuthor", "article", "author", "author"),
    ("Citation", "article", "source", "source"),
]


_WIDEST = max(len(fields) for fields in SEARCHED_SUBJECT_FIELDS.values())


def _subjects(models, using, article_ids):
    """(article id, kind, subject id, [names it is searched by]) for every tag, byline and citation, in
    one query."""
    if not article_ids:
        return []
    connection = connections[using]
    quote = connection.ops.quote_name
    placeholders = ", ".join(["%s"] * len(article_ids))
    parts, searched = [], {}
    for model, article_field, subject_field, kind in _RELATIONS:
        through = models[model]._meta
        link = through.get_field(subject_field)
        subject = link.related_model._meta
        fields = searched[kind] = _searched(subject, kind)
        names = [f"s.{quote(subject.get_field(name).column)}" for name in fields] + ["''"] * (
            _WIDEST - len(fields)
        )
        parts.append(
            f"SELECT t.{quote(through.get_field(article_field).column)}, '{kind}', t.{quote(link.column)}, "
            f"{', '.join(names)} FROM {quote(through.db_table)} t JOIN {quote(subject.db_table)} s "
            f"ON s.{quote(subject.pk.column)} = t.{quote(link.column)} "
            f"WHERE t.{quote(through.get_field(article_field).column)} IN ({placeholders})"
        )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), list(article_ids) * len(parts))
        return [
            (article_id, kind, subject_id, _names(searched[kind], values))
            for article_id, kind, subject_id, *values in cursor.fetchall()
        ]


def _aware(moment):
    # SQLite hands raw SQL its datetimes as text, in UTC.
    if isinstance(moment, str):
        moment = parse_datetime(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt_timezone.utc)


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


def _assign_keys(entries, wanted, taken):
    """{article id: a recency no other entry holds}, starting from the wanted ones; `taken` holds those known
    held."""
    keys = {}
    for pk, key in sorted(wanted.items(), key=lambda item: item[1]):
        keys[pk] = _free_key(key, taken)
    moved = [key for pk, key in keys.items() if key != wanted[pk]]
    # A key moved past a clash may be held by an entry not looked at yet: look, and move again.
    while moved and (clashing := set(entries.filter(recency__in=moved).values_list("recency", flat=True))):
        taken |= clashing
        moved = []
        for pk, key in keys.items():
            if key in clashing:
                keys[pk] = _free_key(key, taken)
                moved.append(keys[pk])
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
    # No savepoint of its own: the index is written as part of the caller's transaction.
    with transaction.atomic(using=using, savepoint=False):
        ordered = sorted(article_ids)
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start : start + CHUNK]
            documents = list(_documents(chunk, models, using))
            wanted = {pk: recency(publish_at, pk) for pk, publish_at, _ in documents}
            old, taken, stale = defaultdict(set), set(), set()  # old: facet -> seconds it was indexed at
            found = entries.filter(Q(article_id__in=chunk) | Q(recency__in=list(wanted.values())))
            for article_id, key, facets in found.values_list("article_id", "recency", "facets"):
                if article_id in article_ids:
                    stale.add(article_id)
                    for token in facets.split():
                        old[token].add(_second(key))
                else:
                    taken.add(key)
            if stale:
                entries.filter(article_id__in=stale).delete()
            if not documents and not stale:
                continue  # drafts that were never published: nothing to do
            keys = _assign_keys(entries, wanted, taken)
            new = {}  # facet: the earliest second of its articles in this chunk
            for pk, _, document in documents:
                for token in document.facets:
                    new[token] = min(new.get(token, _second(keys[pk])), _second(keys[pk]))
            _insert(
                entries,
                [_entry(models, using, pk, document, keys[pk]) for pk, _, document in documents],
                using,
            )
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
    params = [
        value for entry in new for value in (entry.article_id, entry.recency, entry.facets, entry.vector)
    ]
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {search_backends.ENTRY_TABLE} "
            f"(article_id, recency, title, dek, subjects, body, facets, vector) VALUES {values}",
            params,
        )


def _second(key):
    return key >> ID_BITS << ID_BITS


def _update_facets(old, new, models, using):
    """Move each subject's earliest published article after a change of some of its articles.

    An article that is now the earliest moves the mark earlier; only when the article that
    held the mark leaves or moves later is the earliest looked up again among the articles.
    """
    lookups = _subject_lookups()
    tokens = {token: token.rstrip("0123456789") for token in set(old) | set(new)}
    tokens = {
        token: (kind, int(token[len(kind) :]))
        for token, kind in tokens.items()
        if kind in lookups and kind != token
    }
    if not tokens:
        return
    rows = models["SearchFacet"].objects.using(using)
    current = {
        (kind, subject_id): earliest
        for kind, subject_id, earliest in rows.filter(
            kind__in={kind for kind, _ in tokens.values()}, subject_id__in={pk for _, pk in tokens.values()}
        ).values_list("kind", "subject_id", "earliest")
    }
    marks = []
    for token, (kind, subject_id) in tokens.items():
        mark, earliest = current.get((kind, subject_id)), new.get(token)
        if mark is not None and mark in old.get(token, ()) and (earliest is None or earliest > mark):
            earliest = _earliest_published(kind, subject_id, lookups[kind], models, using)
            if earliest is None:
                rows.filter(kind=kind, subject_id=subject_id).delete()
                continue
        elif earliest is None or (mark is not None and earliest >= mark):
            continue
        marks.append(models["SearchFacet"](kind=kind, subject_id=subject_id, earliest=earliest))
    if marks:
        rows.bulk_create(
            marks, update_conflicts=True, unique_fields=["kind", "subject_id"], update_fields=["earliest"]
        )


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
    return {kind.model._meta.model_name: kind.model.article_lookup for kind in SUBJECTS}


def subject_article_ids(subject, *, using="default"):
    """Ids of every article about a subject, in any status (to re-index around a rename or delete)."""
    return list(Article.objects.using(using).about(subject).values_list("pk", flat=True))


def index_subject(subject, *, using="default"):
    """Re-index the articles about a subject whose searched names (name, symbol, aliases) changed."""
    return index_articles(subject_article_ids(subject, using=using), using=using)


def rebuild_index(*, using="default", apps=None, progress=None):
    """Index every published article afresh, in bulk; returns how many are indexed."""
    models = _models(apps)
    entries = models["SearchEntry"].objects.using(using)
    ids = list(
        models["Article"]
        .objects.using(using)
        .filter(status="published")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    earliest, taken, done = {}, set(), 0
    postgres = connections[using].vendor == "postgresql"
    with transaction.atomic(using=using):
        # One index build at the end is far quicker than growing it row by row: PostgreSQL's GIN
        # index is dropped, SQLite's FTS5 triggers are set aside and FTS5 rebuilds from the entries.
        with connections[using].cursor() as cursor:
            if postgres:
                cursor.execute(f"DROP INDEX IF EXISTS {search_backends.GIN_INDEX}")
            else:
                for statement in search_backends.sqlite_drop_triggers():
                    cursor.execute(statement)
        entries.all().delete()
        models["SearchFacet"].objects.using(using).all().delete()
        for start in range(0, len(ids), CHUNK):
            new = []
            for pk, publish_at, document in _documents(ids[start : start + CHUNK], models, using):
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
                facet_rows.append(
                    models["SearchFacet"](
                        kind=kind, subject_id=int(token[len(kind) :]), earliest=key >> ID_BITS << ID_BITS
                    )
                )
        models["SearchFacet"].objects.using(using).bulk_create(facet_rows, batch_size=CHUNK)
        with connections[using].cursor() as cursor:
            if postgres:
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                for statement in search_backends.postgres_schema():
                    cursor.execute(statement)
            else:
                cursor.execute(
                    f"INSERT INTO {search_backends.FTS_TABLE}({search_backends.FTS_TABLE}) VALUES ('rebuild')"
                )
                for statement in search_backends.sqlite_triggers():
                    cursor.execute(statement)
    return done
