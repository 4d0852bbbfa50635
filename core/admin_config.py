"""The admin site newsroom uses in place of Django's default, wired in through INSTALLED_APPS."""

from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    """Django's admin, on the desk's own site class (core.admin_site)."""

    default_site = "core.admin_site.NewsroomAdminSite"
