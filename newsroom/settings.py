"""
newsroom's one settings module.

Every setting reads the environment and falls back to a safe development
default. With DJANGO_DEBUG off (the default), start-up refuses to go on
without DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and SITE_URL.
"""

import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from js_asset import static_lazy

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it, or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "newsroom-development-only-key-not-for-production-use-0123456789"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS is not set. Give a comma-separated list of host names, "
            "or set DJANGO_DEBUG=1 for local development."
        )
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

SITE_NAME = os.environ.get("SITE_NAME", "Critical Minerals Desk")
# What pages say the site is, where a page has no description of its own (meta description, feeds).
SITE_DESCRIPTION = os.environ.get(
    "SITE_DESCRIPTION",
    "Reporting on critical minerals and rare earths, and on who owns the outlets that report them.",
)
# The public address every absolute link is built on (pages, feeds, sitemaps, robots.txt, mail).
# Production refuses to start without it; core.checks reports one no reader can reach.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
if not SITE_URL:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SITE_URL is not set. Give the site's public address, for example https://news.example.org, "
            "or set DJANGO_DEBUG=1 for local development."
        )
    SITE_URL = "http://127.0.0.1:8000"
try:
    _site = urlsplit(SITE_URL)
    _site_ok = (
        _site.scheme in ("http", "https")
        and _site.hostname
        and not (_site.path or _site.query or _site.fragment or _site.username or _site.password)
        and (_site.port or 0) >= 0
    )
except ValueError:  # a port that is no number
    _site_ok = False
if not _site_ok:
    raise ImproperlyConfigured(
        "SITE_URL must be the site's scheme and host alone, for example https://news.example.org "
        f"(it is {SITE_URL!r})."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS") or (
    [SITE_URL] if SITE_URL.startswith("https://") else []
)

INSTALLED_APPS = [
    "core.admin_config.NewsroomAdminConfig",  # Django's admin, with staff sign-in through a second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "taggit",
    "django_prose_editor",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "two_factor",
    "axes",
    "core",
    "articles",
    "comments",
    "newsletter",
    "readership",
    "importer",
    "tracker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # After SecurityMiddleware, as its authors advise: on every response, cached pages included.
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "core.outages.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the page cache, so stored pages are compressed on every hit; only what it may share.
    "core.middleware.SharedPageGZipMiddleware",
    # WordPress's ?p=ID and ?feed= answer 301 before the page cache, which ignores parameters a page
    # does not read (importer/addresses.py).
    "importer.addresses.OldQueryAddressMiddleware",
    # Before sessions, users and the database: a hit from the page cache touches none of them.
    "core.middleware.PageCacheMiddleware",
    # Inside the page cache, which stores only 200s: old WordPress paths answer 301 where nothing else
    # answers (a 404).
    "importer.addresses.OldAddressMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.AdminContentSecurityPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    # Only in a DEBUG demo with NEWSROOM_FRIENDLY_ERRORS=1 (`make run`); otherwise it removes itself.
    "core.middleware.FriendlyErrorPagesMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in with the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Browser features no page of ours uses, refused to every script on every page (a stored payload
# that ever ran could not reach the camera, the microphone or the reader's location).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "core.context_processors.site",
                "core.context_processors.navigation_links",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A busy timeout lets concurrent writers wait instead of failing at once; IMMEDIATE transactions take
    # the write lock when they begin, so the web server and the worker queue up rather than deadlock.
    # WAL lets readers go on while one writes; NORMAL sync is durable across application crashes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20,
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, falling back to process memory while Redis is unreachable.
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The anonymous page cache (core.page_cache): public pages served from the cache above to readers
# without a session, invalidated exactly on every change. On by default with Redis, and in debug
# (one process); a per-process cache under several workers could not see other workers' changes,
# so without Redis it needs NEWSROOM_PAGE_CACHE=1 said on purpose.
NEWSROOM_PAGE_CACHE = env_bool("NEWSROOM_PAGE_CACHE", bool(REDIS_URL) or DEBUG)
# The longest a stored page is kept even if nothing changes (exactness never depends on it).
NEWSROOM_PAGE_CACHE_SECONDS = int(os.environ.get("NEWSROOM_PAGE_CACHE_SECONDS", "3600"))
# How long a reader whose page is being rendered by another request waits for that render before
# rendering it too (one render per miss; a render that fails or is slow never holds readers longer).
NEWSROOM_PAGE_CACHE_RENDER_WAIT = float(os.environ.get("NEWSROOM_PAGE_CACHE_RENDER_WAIT", "2.0"))
# Pages one client may have rendered for them in a minute (pages not stored yet, variants only they ask
# for); beyond it they get 429, so no one can turn the page cache off for everyone.
NEWSROOM_PAGE_CACHE_MISSES_PER_MINUTE = int(os.environ.get("NEWSROOM_PAGE_CACHE_MISSES_PER_MINUTE", "120"))
# While Redis cannot be reached, each process keeps its own copies of public pages this many seconds
# (0: the page cache stands aside and every page is rendered), in at most this many bytes.
NEWSROOM_PAGE_CACHE_OUTAGE_SECONDS = float(os.environ.get("NEWSROOM_PAGE_CACHE_OUTAGE_SECONDS", "5"))
NEWSROOM_PAGE_CACHE_OUTAGE_BYTES = int(
    os.environ.get("NEWSROOM_PAGE_CACHE_OUTAGE_BYTES", str(32 * 1024 * 1024))
)
# Pieces of pages kept by version (the comment thread), with or without the whole-page cache.
NEWSROOM_FRAGMENT_CACHE = env_bool("NEWSROOM_FRAGMENT_CACHE", True)
# The site's own 404 and 500 pages even with DEBUG on, as readers of the demo should see them.
NEWSROOM_FRIENDLY_ERRORS = env_bool("NEWSROOM_FRIENDLY_ERRORS", False)
# How long a CDN or other shared cache in front may hold an anonymous page (Cache-Control s-maxage).
NEWSROOM_CDN_SECONDS = int(os.environ.get("NEWSROOM_CDN_SECONDS", "60"))

# Background tasks (django-tasks): kept in the database by default, so `manage.py worker` runs them on
# SQLite or PostgreSQL with nothing else installed; on Redis with RQ workers when TASKS_BACKEND=rq.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database").lower()
if TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL to point at Redis.")
    INSTALLED_APPS.append("django_rq")
    # "people": mails a reader waits for, which `manage.py worker` takes before the daily update's batches.
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["people", "default"]}}
    RQ_QUEUES = {
        "people": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600},
        "default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600},
    }
    # Workers must run django-tasks' job class; with this, a plain `manage.py rqworker` does too.
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
elif TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["people", "default"]}}
else:
    raise ImproperlyConfigured("TASKS_BACKEND must be 'database' or 'rq'.")
# What `manage.py worker` runs besides the queue, every WORKER_TICK_SECONDS, in every worker process:
# each job is idempotent (it reads the database to see what is due), so any number of workers agree.
WORKER_PERIODIC_JOBS = [
    "newsletter.schedule.schedule_tick",
    "readership.stores.flush_reads",
    "readership.report.refresh_reports",
]
WORKER_TICK_SECONDS = float(os.environ.get("WORKER_TICK_SECONDS", "15"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# One way of writing dates and times across the admin and the site (core/formats).
FORMAT_MODULE_PATH = ["core.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files served at the site's root by whitenoise, with or without DEBUG: /favicon.ico.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploads and their renditions: this machine's MEDIA_ROOT by default; with MEDIA_STORAGE_URL, any
# S3-compatible object store through django-storages, so every app server and worker shares them:
#   s3://ACCESS_KEY:SECRET_KEY@host[:port]/bucket?region=...&secure=0&acl=none&public_url=https://media.example.org/
# (`secure=0` for a plain-HTTP endpoint; `public_url`, where readers fetch files, defaults to the
# endpoint's own address of the bucket; files are public and their addresses unsigned, as MEDIA_URL's
# are.) MEDIA_URL then is that public address.
MEDIA_STORAGE_URL = os.environ.get("MEDIA_STORAGE_URL", "")


def _object_storage(url):
    """STORAGES["default"] and MEDIA_URL for MEDIA_STORAGE_URL."""
    parts = urlsplit(url)
    bucket = parts.path.strip("/")
    if parts.scheme != "s3" or not (parts.hostname and bucket and parts.username and parts.password):
        raise ImproperlyConfigured(
            "MEDIA_STORAGE_URL must look like s3://ACCESS_KEY:SECRET_KEY@host[:port]/bucket"
        )
    query = dict(parse_qsl(parts.query))
    scheme = "http" if query.get("secure") == "0" else "https"
    endpoint = f"{scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}"
    public = query.get("public_url") or f"{endpoint}/{bucket}/"
    public = public if public.endswith("/") else public + "/"
    public_parts = urlsplit(public)
    options = {
        "access_key": unquote(parts.username),
        "secret_key": unquote(parts.password),
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "region_name": query.get("region", "us-east-1"),
        "addressing_style": "path",
        # Readers fetch files at their public address; an upload never replaces another's file.
        "querystring_auth": False,
        "file_overwrite": False,
        # Each file is made public as it is stored; `acl=none` for a bucket public by its own policy
        # (one whose ACLs are switched off).
        "default_acl": None if query.get("acl", "public-read") == "none" else query.get("acl", "public-read"),
        "custom_domain": public_parts.netloc + public_parts.path.rstrip("/"),
        "url_protocol": f"{public_parts.scheme}:",
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}, public


if MEDIA_STORAGE_URL:
    _media_storage, MEDIA_URL = _object_storage(MEDIA_STORAGE_URL)
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Large uploads (hero photos) go to a temporary file rather than memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880

ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"

# Staff sign-in: passwords, then a one-time code from an authenticator app (django-two-factor-auth on
# django-otp), with recovery codes. STAFF_TWO_FACTOR=required makes the second factor compulsory, for
# every staff power (core.staff), to superusers and to accounts holding any of
# STAFF_TWO_FACTOR_PERMISSIONS however granted: publish, moderate, send mail, manage users (Writers,
# who only propose, may add one); "optional" leaves it to each account (the demo). A first device is
# set up only with an administrator's invitation (core.enrolment), valid STAFF_INVITATION_HOURS.
STAFF_TWO_FACTOR = os.environ.get("STAFF_TWO_FACTOR", "required").lower()
if STAFF_TWO_FACTOR not in {"required", "optional"}:
    raise ImproperlyConfigured("STAFF_TWO_FACTOR must be 'required' or 'optional'.")
STAFF_TWO_FACTOR_PERMISSIONS = [
    name.strip()
    for name in os.environ.get(
        "STAFF_TWO_FACTOR_PERMISSIONS",
        "articles.publish_article,comments.change_comment,comments.delete_comment,"
        "newsletter.change_dailyupdate,newsletter.change_subscriber,newsletter.view_subscriber,"
        "auth.add_user,auth.change_user,auth.delete_user,auth.add_group,auth.change_group",
    ).split(",")
    if name.strip()
]
STAFF_INVITATION_HOURS = int(os.environ.get("STAFF_INVITATION_HOURS", "72"))
LOGIN_URL = "two_factor:login"
LOGIN_REDIRECT_URL = "admin:index"
TWO_FACTOR_PATCH_ADMIN = False
TWO_FACTOR_REMEMBER_COOKIE_AGE = None
OTP_TOTP_ISSUER = SITE_NAME

# Guessing passwords (django-axes, core.signin): after STAFF_LOGIN_FAILURE_LIMIT wrong passwords from one
# address for one account, or from one address for any accounts, that address is refused for
# STAFF_LOGIN_COOLOFF_MINUTES, doubling with each further wrong password up to
# STAFF_LOGIN_COOLOFF_MAX_HOURS. An account is never locked for everyone: its owner signs in from their
# own address. An administrator unlocks at once with `manage.py axes_reset_username NAME` or by deleting
# the attempts in the admin.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("STAFF_LOGIN_FAILURE_LIMIT", "5"))
STAFF_LOGIN_COOLOFF_MINUTES = int(os.environ.get("STAFF_LOGIN_COOLOFF_MINUTES", "15"))
STAFF_LOGIN_COOLOFF_MAX_HOURS = int(os.environ.get("STAFF_LOGIN_COOLOFF_MAX_HOURS", "24"))
AXES_COOLOFF_TIME = "core.signin.cool_off"
AXES_USE_ATTEMPT_EXPIRATION = True
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.admin_site.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.clients.client_network"
AXES_VERBOSE = False

# Mail: EMAIL_URL (smtp://user:pass@host:port, smtp+tls://, console:) or Django's EMAIL_* settings.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <desk@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_URL = os.environ.get("EMAIL_URL", "")
if EMAIL_URL:
    from core.email_url import parse_email_url

    globals().update(parse_email_url(EMAIL_URL))
elif os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = 30
# Date headers in TIME_ZONE with its offset ("+0000"); Django's default writes "-0000", which RFC 5322
# reserves for "local zone unknown".
EMAIL_USE_LOCALTIME = True

# Security headers. HTTPS settings switch on whenever the site runs without DEBUG.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/" + ADMIN_PATH],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "https:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"database_outage": {"()": "core.outages.DatabaseOutageLogFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR", "filters": ["database_outage"]}},
}

# django-taggit: tag names match case-insensitively, so "Lithium" and "lithium" are one tag.
TAGGIT_CASE_INSENSITIVE = True

# The admin editor's paste handling (static/js/paste_cleanup.js, an extension of django-prose-editor;
# articles.forms turns it on and articles.admin answers it).
# The schema's additions (static/js/article_schema.js) let the editor hold everything the sanitiser keeps;
# the sanitiser alone decides what is stored, so they add nothing to the package's own allowlist.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {"js": [static_lazy("js/paste_cleanup.js")], "extensions": {"PasteCleanup": lambda config, shared: None}},
    {
        "js": [static_lazy("js/article_schema.js")],
        "extensions": {
            name: lambda config, shared: None
            for name in (
                "ArticleTable",
                "ArticleTableRow",
                "ArticleTableHeader",
                "Cite",
                "InlineQuote",
                "Highlighted",
                "SmallPrint",
                "Preformatted",
            )
        },
    },
]

# Editorial limits.
ARTICLE_BODY_MAX_CHARS = int(os.environ.get("ARTICLE_BODY_MAX_CHARS", "200000"))
# Largest hero or author photo accepted (core.images), in bytes and in pixels.
IMAGE_UPLOAD_MAX_BYTES = int(os.environ.get("IMAGE_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", "40000000"))
ARTICLES_PER_PAGE = 12

# The tracker (docs/tracker.md): measures per page, how far ahead /tracker/ lists deadlines, and how
# far ahead the daily update's "Measures" section does.
TRACKER_PER_PAGE = int(os.environ.get("TRACKER_PER_PAGE", "50"))
TRACKER_DEADLINE_DAYS = int(os.environ.get("TRACKER_DEADLINE_DAYS", "30"))
TRACKER_MAIL_DEADLINE_DAYS = int(os.environ.get("TRACKER_MAIL_DEADLINE_DAYS", "7"))
# Sections other apps add to the daily update (newsletter.sections), by dotted path: wiring, not a knob.
NEWSLETTER_SECTIONS = ["tracker.digest.measures_section"]

# How many reverse proxies in front of the app add to X-Forwarded-For (0: trust REMOTE_ADDR only); a
# forwarded value that is not an IP address is ignored for the peer's address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# Per-address limits (search, comments, likes, signups, staff sign-in) count an IPv6 client by its
# network of this many bits: one subscriber's /64 is one client however many addresses it rotates.
RATELIMIT_IPV6_PREFIX = int(os.environ.get("RATELIMIT_IPV6_PREFIX", "64"))
if not 0 <= RATELIMIT_IPV6_PREFIX <= 128:
    raise ImproperlyConfigured("RATELIMIT_IPV6_PREFIX must be a number of bits from 0 to 128.")

# Newsletter: double opt-in signup and the daily update.
# The daily update goes at NEWSLETTER_SEND_TIME (HH:MM, or HH:MM:SS, in TIME_ZONE); its draft is built
# NEWSLETTER_REVIEW_MINUTES before, for editors to look over. A worker that was down at send time sends
# the day's update when it comes back, until NEWSLETTER_CATCH_UP_HOURS after the send time.
NEWSLETTER_SEND_TIME = os.environ.get("NEWSLETTER_SEND_TIME", "07:00")
NEWSLETTER_REVIEW_MINUTES = int(os.environ.get("NEWSLETTER_REVIEW_MINUTES", "60"))
NEWSLETTER_CATCH_UP_HOURS = float(os.environ.get("NEWSLETTER_CATCH_UP_HOURS", "6"))
NEWSLETTER_BATCH_SIZE = int(os.environ.get("NEWSLETTER_BATCH_SIZE", "100"))
# Messages whose Message-IDs are stamped before, and outcomes recorded after, their SMTP conversation:
# fewer commits per mail as it grows, and the most a worker killed mid-send can leave "unknown".
NEWSLETTER_CHUNK_SIZE = int(os.environ.get("NEWSLETTER_CHUNK_SIZE", "25"))
NEWSLETTER_MAX_ATTEMPTS = int(os.environ.get("NEWSLETTER_MAX_ATTEMPTS", "3"))
# Retries wait 30 s, 60 s, 120 s... up to this many seconds (deliveries and confirmation mails alike).
NEWSLETTER_RETRY_DELAY = int(os.environ.get("NEWSLETTER_RETRY_DELAY", "300"))
# A claimed delivery whose worker has not been heard of for this long belongs to a dead worker.
NEWSLETTER_LEASE_SECONDS = int(os.environ.get("NEWSLETTER_LEASE_SECONDS", "120"))
# A signup or confirmation mail whose job has not finished after this many seconds (a queue or database
# outage lost it, or its worker died) is queued again by the schedule.
NEWSLETTER_REQUEUE_SECONDS = int(os.environ.get("NEWSLETTER_REQUEUE_SECONDS", "60"))
NEWSLETTER_CONFIRM_MAX_AGE = int(os.environ.get("NEWSLETTER_CONFIRM_MAX_AGE", str(3 * 86400)))
NEWSLETTER_SIGNUP_IP_LIMIT = int(os.environ.get("NEWSLETTER_SIGNUP_IP_LIMIT", "10"))  # per hour
NEWSLETTER_SIGNUP_ADDRESS_LIMIT = int(os.environ.get("NEWSLETTER_SIGNUP_ADDRESS_LIMIT", "5"))  # per hour
NEWSLETTER_UNSUBSCRIBE_MAILTO = os.environ.get(
    "NEWSLETTER_UNSUBSCRIBE_MAILTO", f"unsubscribe@{_site.hostname}"
)

# A function given each article link of the daily update (url, daily_update=, article=) that answers the
# address to put in the mail instead; empty for the article's own address. Readership counts clicks.
NEWSLETTER_LINK_WRAPPER = os.environ.get("NEWSLETTER_LINK_WRAPPER", "readership.clicks.wrap")

# Reader comments (the comments app).
# Comments close this many days after an article's publication; 0 keeps them open for good.
COMMENTS_CLOSE_AFTER_DAYS = int(os.environ.get("COMMENTS_CLOSE_AFTER_DAYS", "30"))
# A comment with more links than this is held for an editor, whatever its author's record.
COMMENTS_MAX_LINKS = int(os.environ.get("COMMENTS_MAX_LINKS", "2"))
# Comma-separated words that hold a comment for an editor.
COMMENTS_BLOCKLIST = env_list("COMMENTS_BLOCKLIST")
COMMENTS_MAX_LENGTH = int(os.environ.get("COMMENTS_MAX_LENGTH", "3000"))
COMMENTS_MAX_DEPTH = int(os.environ.get("COMMENTS_MAX_DEPTH", "3"))
# Commenters with at least this many approved comments show their record next to their name.
COMMENTS_REGULAR_MIN = int(os.environ.get("COMMENTS_REGULAR_MIN", "2"))
# A form sent back sooner than this after the page was served is a bot's; older than the max age, stale.
COMMENTS_MIN_SUBMIT_SECONDS = int(os.environ.get("COMMENTS_MIN_SUBMIT_SECONDS", "3"))
COMMENTS_TOKEN_MAX_AGE = int(os.environ.get("COMMENTS_TOKEN_MAX_AGE", str(2 * 24 * 60 * 60)))
# Rate limits, counted in the shared cache over a window of COMMENTS_RATE_WINDOW seconds.
COMMENTS_RATE_WINDOW = int(os.environ.get("COMMENTS_RATE_WINDOW", "600"))
COMMENTS_RATE_PER_IP = int(os.environ.get("COMMENTS_RATE_PER_IP", "10"))
COMMENTS_RATE_PER_EMAIL = int(os.environ.get("COMMENTS_RATE_PER_EMAIL", "5"))
COMMENTS_LIKES_PER_IP = int(os.environ.get("COMMENTS_LIKES_PER_IP", "60"))
# Likes one network address may add to any one comment per day, whatever cookies it sends.
COMMENTS_LIKES_PER_COMMENT_PER_IP = int(os.environ.get("COMMENTS_LIKES_PER_COMMENT_PER_IP", "20"))
# Likes drop no cached page: a shared article page with comments is kept at most this many seconds.
COMMENTS_LIKE_COUNT_LAG = int(os.environ.get("COMMENTS_LIKE_COUNT_LAG", "60"))

# --- Discovery: search, feeds, sitemaps ---
SEARCH_RESULTS_PER_PAGE = 20
CORRECTIONS_PER_PAGE = 30
# Longest a search may run, in milliseconds, before the reader is asked to narrow it.
SEARCH_TIMEOUT_MS = int(os.environ.get("SEARCH_TIMEOUT_MS", "1500"))
SEARCH_RATE_LIMIT = int(os.environ.get("SEARCH_RATE_LIMIT", "60"))  # searches per client per minute
FEED_ITEMS = 30
# Publication name in the Google News sitemap; must match the name Google News knows.
NEWS_PUBLICATION_NAME = os.environ.get("NEWS_PUBLICATION_NAME", SITE_NAME)

# --- Readership: read counts from beacons (readership app, docs/readership.md) ---
# Beacons one client address may send per minute; more are answered 429 and not counted.
READERSHIP_BEACON_RATE = int(os.environ.get("READERSHIP_BEACON_RATE", "120"))
# Most pending reads one flush moves from the database buffer (the store without Redis).
READERSHIP_FLUSH_BATCH = int(os.environ.get("READERSHIP_FLUSH_BATCH", "50000"))
# Referring sites kept per article and day; the rest are summed as "(other sites)".
READERSHIP_TOP_REFERRERS = int(os.environ.get("READERSHIP_TOP_REFERRERS", "10"))
# How old the readership page's figures may be; the worker remakes them at half this age.
READERSHIP_REPORT_SECONDS = int(os.environ.get("READERSHIP_REPORT_SECONDS", "300"))
# A click on a daily update's link this soon after the update was sent is a mail filter's scan.
READERSHIP_SCANNER_SECONDS = int(os.environ.get("READERSHIP_SCANNER_SECONDS", "60"))
