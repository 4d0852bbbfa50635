from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = f"{settings.SITE_NAME} desk"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Newsroom"

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("newsletter/", include("newsletter.urls")),
    path("comments/", include("comments.urls")),
    path("", include("articles.urls")),
]
# /favicon.ico, which browsers and feed readers ask for whatever a page says, is served by
# whitenoise from static/root/ (WHITENOISE_ROOT), in every mode.

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
