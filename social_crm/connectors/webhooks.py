"""Webhook helpers that do not depend on Odoo: token and signature checks, and
the shape of a delivery.

Meta (Facebook Pages, Instagram) signs each delivery with the App Secret:
``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>``. Everything
here takes hostile input: any string (non-ASCII included), any JSON value.
"""

import hashlib
import hmac
import json
import re

from .exceptions import PayloadError

MAX_DEPTH = 32  # nesting of a delivery; Meta's are about 6 deep
CHALLENGE = re.compile(r"[0-9]{1,64}")


def _bytes(value):
    return value.encode("utf-8", "surrogatepass") if isinstance(value, str) else bytes(value or b"")


def valid_token(expected, given):
    """Constant-time comparison of two strings, whatever characters they hold."""
    if not expected or not given:
        return False
    return hmac.compare_digest(_bytes(expected), _bytes(given))


def valid_hub_signature(secret, body, header):
    """True when ``header`` is the ``sha256=`` HMAC of ``body`` with ``secret``."""
    if not secret or not header or not isinstance(header, str) or not header.startswith("sha256="):
        return False
    expected = hmac.new(_bytes(secret), body, hashlib.sha256).hexdigest()
    return valid_token(expected, header.split("=", 1)[1].strip().lower())


def valid_challenge(value):
    """The ``hub.challenge`` of a subscription handshake, if it is one (digits)."""
    return isinstance(value, str) and bool(CHALLENGE.fullmatch(value))


def load_delivery(body):
    """The JSON object of a delivery, or :class:`PayloadError`: not JSON, not an
    object, nested deeper than :data:`MAX_DEPTH`, or entries that are not objects."""
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError) as err:
        raise PayloadError("The delivery is not JSON") from err
    if not isinstance(payload, dict):
        raise PayloadError("The delivery is not a JSON object")
    _check_depth(payload)
    entries = payload.get("entry", [])
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise PayloadError("The entries of the delivery are not objects")
    for entry in entries:
        changes = entry.get("changes", [])
        if not isinstance(changes, list) or not all(
            isinstance(change, dict) and isinstance(change.get("value", {}), dict) for change in changes
        ):
            raise PayloadError("The changes of the delivery are not objects")
    return payload


def _check_depth(payload):
    todo = [(payload, 1)]
    while todo:
        value, depth = todo.pop()
        if depth > MAX_DEPTH:
            raise PayloadError("The delivery is nested too deeply")
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        todo.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
