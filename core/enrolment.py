"""Setting up a second factor needs more than the password: an administrator's invitation.

Whoever set up the first authenticator of an account would own it, so a session signed in with a
password alone may not do that by itself. An administrator makes a signed invitation for one account
(`manage.py invite_second_factor USERNAME`, which prints the link for them to hand over by a channel
of their choosing); the invited person signs in with their password and opens the link, and only that
session may then set up a device. The invitation is one-time and expires: it is bound to the account's
password and to its confirmed devices, so it dies with the first device set up or a password change,
and after STAFF_INVITATION_HOURS. A session that has already passed the second factor may add more
devices (and recovery codes) as before.
"""

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user
from two_factor.views import QRGeneratorView, SetupView

from core.site import absolute_url
from core.staff import verified

SESSION_KEY = "core.enrolment.invitation"


class Invitations(PasswordResetTokenGenerator):
    key_salt = "core.enrolment.Invitations"

    def _make_hash_value(self, user, timestamp):
        # Not the last sign-in (the invited person signs in before using it), but the password and the
        # devices: a new device or a new password ends the invitation.
        devices = ",".join(sorted(device.persistent_id for device in devices_for_user(user, confirmed=True)))
        return f"{user.pk}|{user.password}|{timestamp}|{devices}"

    def check_token(self, user, token):
        # Also bounded by Django's PASSWORD_RESET_TIMEOUT (three days), which the parent checks.
        if not super().check_token(user, token):
            return False
        age = self._num_seconds(self._now()) - base36_to_int(token.split("-")[0])
        return age <= settings.STAFF_INVITATION_HOURS * 3600


invitations = Invitations()


def invitation_url(user):
    """The absolute link that lets `user` set up their first second factor."""
    path = reverse(
        "enrolment-invitation",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": invitations.make_token(user)},
    )
    return absolute_url(path)


def may_enrol(request):
    """True for a session that has passed the second factor, or holds a live invitation for its account."""
    user = request.user
    if not user.is_authenticated:
        return False
    if verified(user):
        return True
    token = request.session.get(SESSION_KEY)
    return bool(token) and invitations.check_token(user, token)


def _refused(request):
    return render(request, "two_factor/enrolment_refused.html", status=403)


@never_cache
def accept_invitation(request, uidb64, token):
    """The invitation link: for the invited account's own signed-in session, allow set-up and go there."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), "two_factor:login", REDIRECT_FIELD_NAME)
    try:
        invited = force_str(urlsafe_base64_decode(uidb64))
    except (ValueError, TypeError):
        invited = None
    if invited != str(request.user.pk) or not invitations.check_token(request.user, token):
        return _refused(request)
    request.session[SESSION_KEY] = token
    return redirect("two_factor:setup")


def _guarded(view):
    @never_cache
    def guarded(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), "two_factor:login", REDIRECT_FIELD_NAME)
        if not may_enrol(request):
            return _refused(request)
        return view(request, *args, **kwargs)

    return guarded


setup = _guarded(SetupView.as_view())
qr_code = _guarded(QRGeneratorView.as_view())
