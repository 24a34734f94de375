"""Webhook helpers that do not depend on Odoo: signature checks.

Meta (Facebook Pages, Instagram) signs each delivery with the App Secret:
``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>``.
"""

import hashlib
import hmac


def valid_hub_signature(secret, body, header):
    """True when ``header`` is the ``sha256=`` HMAC of ``body`` with ``secret``."""
    if not secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.split("=", 1)[1].strip().lower())
