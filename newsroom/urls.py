"""The site's addresses: each app's URLs, the admin, sitemaps, health and error pages."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from two_factor.urls import urlpatterns as two_factor_urls

from core.views import health

urlpatterns = [
    # Staff sign-in, the second factor's set-up and recovery codes, under the admin's own path.
    path(settings.ADMIN_PATH, include(two_factor_urls)),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("newsletter/", include("newsletter.urls")),
    path("comments/", include("comments.urls")),
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
