"""The second factor for staff: enrolling an authenticator app, and confirming a code after
the password. The admin site (config/admin_site.py) sends staff here until they have."""

import logging
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .events import log_event
from .forms import EnrolForm, VerifyForm

RECOVERY_CODE_COUNT = 10


def _next_url(request):
    url = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("admin:index")


def _is_staff(user):
    return user.is_authenticated and user.is_active and user.is_staff


def _context(request, **context):
    return {**admin.site.each_context(request), "next": _next_url(request), **context}


def _qr_code_svg(text):
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    # Inline in the page (no request elsewhere), so without its XML declaration.
    svg = image.to_string(encoding="unicode")
    return mark_safe(svg[svg.index("<svg") :])  # made here, from our own data


@never_cache
def mfa_verify(request):
    if not _is_staff(request.user):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not user_has_device(request.user):
        return redirect(f"{reverse('admin:mfa_enrol')}?{request.GET.urlencode()}")
    form = VerifyForm(request.user, request.POST or None)
    if form.is_valid():
        otp_login(request, form.device)
        log_event("mfa_verified", request, device=type(form.device).__name__)
        return redirect(_next_url(request))
    if form.is_bound:
        log_event("mfa_failed", request, level=logging.WARNING, step="verify")
    return render(request, "security/mfa_verify.html", _context(request, form=form))


@never_cache
def mfa_enrol(request):
    """Sets up an authenticator app: scan the QR code (or type the secret), confirm a code,
    and get recovery codes, shown this once. Only for staff who have no device yet."""
    if not _is_staff(request.user):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    user = request.user
    if user_has_device(user):
        return redirect(f"{reverse('admin:mfa_verify')}?{request.GET.urlencode()}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)
    form = EnrolForm(device, request.POST or None)
    if form.is_valid():
        codes = _confirm(device)
        otp_login(request, device)
        log_event("mfa_enrolled", request)
        return render(
            request, "security/recovery_codes.html", _context(request, recovery_codes=codes)
        )
    if form.is_bound:
        log_event("mfa_failed", request, level=logging.WARNING, step="enrol")
    return render(
        request,
        "security/mfa_enrol.html",
        _context(
            request,
            form=form,
            qr_code=_qr_code_svg(device.config_url),
            secret=b32encode(device.bin_key).decode(),
        ),
    )


@transaction.atomic
def _confirm(device):
    """Confirms the new device and gives its user a fresh set of recovery codes."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=device.user).delete()
    recovery = StaticDevice.objects.create(user=device.user, name="Recovery codes")
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    return codes
