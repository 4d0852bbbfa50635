from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from core.views import health

admin.site.site_header = f"{settings.SITE_NAME} desk"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Newsroom"

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("newsletter/", include("newsletter.urls")),
    path("comments/", include("comments.urls")),
    path("", include("articles.urls")),
    # Browsers and feed readers ask for /favicon.ico whatever the page says.
    path("favicon.ico", lambda request: redirect(static("favicon.svg"), permanent=True)),
    path("healthz", health, name="health"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
