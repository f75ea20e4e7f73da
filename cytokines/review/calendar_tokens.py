"""The secret in a staff member's calendar-feed URL: issued here, and honoured only while it should be.

Calendar apps cannot sign in, so the URL is the credential. It must stop working whenever signing in
would: when the person's password changes (a fingerprint of the password hash is kept with the token,
as Django does for sessions) and when they are no longer active staff.
"""

import secrets

from django.utils.crypto import constant_time_compare, salted_hmac

from cytokines.review.models import CalendarToken

FINGERPRINT_SALT = "cytokines.calendar-feed-token"


def password_fingerprint(user):
    return salted_hmac(FINGERPRINT_SALT, user.password, algorithm="sha256").hexdigest()


def calendar_token_issue(user, *, replace=False):
    """Return the user's current token; a new one (revoking the old) if asked or if the old one lapsed."""
    token = CalendarToken.objects.filter(user=user).first()
    if token is None or replace or not constant_time_compare(token.password_fingerprint, password_fingerprint(user)):
        token, _ = CalendarToken.objects.update_or_create(
            user=user,
            defaults={"token": secrets.token_urlsafe(32), "password_fingerprint": password_fingerprint(user)},
        )
    return token


def calendar_token_owner(token_text):
    """The user a feed URL belongs to, or None if the token is unknown or no longer honoured."""
    token = CalendarToken.objects.select_related("user").filter(token=token_text).first()
    if token is None:
        return None
    user = token.user
    if not (user.is_active and user.is_staff):
        return None
    if not constant_time_compare(token.password_fingerprint, password_fingerprint(user)):
        return None
    return user
