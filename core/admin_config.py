from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    """Django's admin, on the desk's own site class (core.admin_site)."""

    default_site = "core.admin_site.NewsroomAdminSite"
