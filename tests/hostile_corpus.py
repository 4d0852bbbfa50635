"""Values a careless client or an attacker sends: every view must answer them with a 4xx or a page, never a 5xx.

Grow this list when a new kind of input breaks something; tests/test_hostile_input.py sends every
value to every URL pattern, as query parameters and as form fields, anonymously and as staff.
"""

HUGE_NUMBER = "99999999999999999999"

VALUES = [
    HUGE_NUMBER,
    "-1",
    "0",
    "1.5",
    "1e309",
    "abc",
    "",
    "\x00",
    "nul\x00in the middle",
    "\x01\x02\x1b[31m\x7f",
    "\u202eevil\u202c",
    "🙂🙂🙂",
    "钕 Côte d'Ivoire",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00%ff",
    "2026-02-31",
    "9999-12-31",
    " " * 5,
    "a" * 5_000,
]

# Query-string values that are not valid UTF-8 once decoded (sent percent-encoded, as a browser would).
RAW_QUERY_VALUES = ["%ff%fe%fd", "%c0%af", "%ed%a0%80"]

# Names of every form field and query parameter a view of the project reads, plus the admin's own.
FIELD_NAMES = [
    "q", "page", "p", "o", "e", "all", "section", "mineral", "country", "source", "status", "author",
    "date_from", "date_to", "replyto", "parent", "token", "honeypot", "author_name", "author_email",
    "author_url", "body_text", "email", "minerals", "countries", "source", "next", "action",
    "_selected_action", "select_across", "index", "title", "slug", "dek", "highlights", "body",
    "publish_at_0", "publish_at_1", "publish_at", "authors", "disclaimer", "position", "name",
    "symbol", "aliases", "iso_code", "owner", "controlled_by", "default_disclaimer", "text", "url",
    "kind", "subject", "intro", "date", "citations-TOTAL_FORMS", "citations-INITIAL_FORMS",
    "citations-0-source", "citations-0-url", "_changelist_filters", "_popup", "_to_field",
    "is_featured__exact", "status__exact", "section__id__exact", "minerals__id__exact",
    "countries__id__exact", "authors__id__exact", "publish_at__year", "publish_at__month",
    "created_at__gte", "article__id__exact", "daily_update__id__exact",
]

# One megabyte in one field: over any field's limit, under the request size limit.
ONE_MEGABYTE = "x" * 1_048_576
