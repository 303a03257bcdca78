from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """django.contrib.admin with the portal's AdminSite (config/admin_site.py) as admin.site."""

    default_site = "config.admin_site.AdminSite"
