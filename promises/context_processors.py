from django.conf import settings


def site(request):
    return {"contact_email": settings.SITE_CONTACT_EMAIL}
