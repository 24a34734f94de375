"""What the sign-in flows store (tokens, pending authorization requests, the
apps registered on Mastodon instances: system administrators only), and the
helpers their models share."""

import datetime
import hashlib

STATE_LIFETIME = datetime.timedelta(minutes=10)  # from pressing Connect to coming back from the platform


def _aware(value):
    return value.replace(tzinfo=datetime.timezone.utc) if value else None


def _naive(value):
    return value.astimezone(datetime.timezone.utc).replace(tzinfo=None) if value else False


def digest(value):
    """What is stored of a secret that only has to be recognised (state, session id)."""
    return hashlib.sha256((value or "").encode()).hexdigest()
