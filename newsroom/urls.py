"""The site's addresses: each app's URLs, the admin, sitemaps, health and error pages."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from two_factor.urls import urlpatterns as two_factor_urls

from core import enrolment, unlock
from core.views import health

urlpatterns = [
    # Staff sign-in, the second factor's set-up and recovery codes, under the admin's own path; a
    # first device is set up only with an administrator's invitation (core.enrolment).
    path(f"{settings.ADMIN_PATH}account/two_factor/setup/", enrolment.setup, name="two-factor-setup"),
    path(f"{settings.ADMIN_PATH}account/two_factor/qrcode/", enrolment.qr_code, name="two-factor-qr"),
    path(
        f"{settings.ADMIN_PATH}account/two_factor/invitation/<uidb64>/<token>/",
        enrolment.accept_invitation,
        name="enrolment-invitation",
    ),
    # A link mailed to the account lifts the lock on the address that asked (core.unlock).
    path(f"{settings.ADMIN_PATH}account/unlock/", unlock.request_link, name="signin-unlock-request"),
    path(f"{settings.ADMIN_PATH}account/unlock/<str:token>/", unlock.unlock, name="signin-unlock"),
    path(settings.ADMIN_PATH, include(two_factor_urls)),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("newsletter/", include("newsletter.urls")),
    path("comments/", include("comments.urls")),
    path("tracker/", include("tracker.urls")),
    path("", include("readership.urls")),
    path("", include("articles.urls")),
    path("healthz", health, name="health"),
]
# /favicon.ico, which browsers and feed readers ask for whatever a page says, is served by
# whitenoise from static/root/ (WHITENOISE_ROOT), in every mode.

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
