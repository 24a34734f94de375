"""Keep secrets out of messages and logs.

Secrets travel in headers, never in URLs, but a platform may still echo a
token in an error body, and a URL typed by a user may carry one. Every
connector error passes through :func:`redact` (see :mod:`.exceptions`), and the
Odoo side redacts what it stores and logs the same way.
"""

import re

# parameter / JSON key names whose values are secrets, wherever they appear
SECRET_NAMES = (
    "access_token",
    "refresh_token",
    "id_token",
    "accessJwt",
    "refreshJwt",
    "api_key",
    "apikey",
    "key",
    "x-goog-api-key",
    "client_secret",
    "app_secret",
    "appsecret_proof",
    "secret",
    "password",
    "passwd",
    "token",
    "oauth_token",
    "oauth_signature",
    "signature",
    "hub.verify_token",
    "verify_token",
)
MARK = "[redacted]"
_NAMES = "|".join(re.escape(name) for name in sorted(SECRET_NAMES, key=len, reverse=True))
# name=value (query strings, form bodies, "key=..." in free text)
_ASSIGNED = re.compile(rf"(?i)(?<![\w.-])({_NAMES})=([^&\s#\"'<>;,]+)")
# "name": "value" (JSON) and 'name': 'value' (Python reprs)
_QUOTED = re.compile(rf"(?i)([\"']({_NAMES})[\"']\s*:\s*[\"'])([^\"']*)")
# Authorization header values
_SCHEMES = re.compile(r"(?i)\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*")
MIN_VALUE_LENGTH = 6  # shorter known values are not replaced (too many false hits)


def redact(text, values=()):
    """``text`` with every secret we can recognise replaced by ``[redacted]``:
    values of known secret names, Authorization credentials, and the given
    ``values`` (the secrets of the account at hand)."""
    if not text:
        return text
    text = str(text)
    for value in values:
        if value and len(value) >= MIN_VALUE_LENGTH:
            text = text.replace(value, MARK)
    text = _ASSIGNED.sub(lambda m: f"{m.group(1)}={MARK}", text)
    text = _QUOTED.sub(lambda m: f"{m.group(1)}{MARK}", text)
    return _SCHEMES.sub(lambda m: f"{m.group(1)} {MARK}", text)
