"""Replay recorded API responses through ``requests`` (with ``responses``).

Pure Python: used by the plain pytest suite and by the Odoo tests alike.
A fixture is ``<name>.<ext>`` (the body) with ``<name>.meta.json`` beside it
(status and headers as recorded); bodies saved without HTTP metadata replay
as ``200 OK``.
"""

import json
import os

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "social_api")
# The recorder stored decoded bodies; these headers describe the wire form.
DROPPED_HEADERS = {"content-encoding", "content-length", "transfer-encoding", "set-cookie"}


def path(relative):
    return os.path.join(FIXTURES, relative)


def _meta_path(relative):
    full = path(relative)
    candidates = [full + ".meta.json", os.path.splitext(full)[0] + ".meta.json"]
    for candidate in candidates:
        if os.path.exists(candidate):
            return candidate
    return None


def body(relative):
    with open(path(relative), "rb") as handle:
        return handle.read()


def load(relative):
    """``(status, headers, body)`` of a recorded response."""
    meta_path = _meta_path(relative)
    meta = {}
    if meta_path:
        with open(meta_path, encoding="utf-8") as handle:
            meta = json.load(handle)
    response = meta.get("response") or {}
    headers = {
        name: values[-1]
        for name, values in (response.get("headers") or {}).items()
        if name.lower() not in DROPPED_HEADERS and values
    }
    content = body(relative) if os.path.exists(path(relative)) else b""
    return response.get("status") or 200, headers, content


def add(mock, method, url, relative, status=None, headers=None, **kwargs):
    """Register the recorded response ``relative`` for ``method url``.

    ``status``/``headers`` override the recording (for body-only captures
    whose status is known from the platform's documentation)."""
    recorded_status, recorded_headers, content = load(relative)
    recorded_headers.update(headers or {})
    content_type = None
    for name in list(recorded_headers):
        if name.lower() == "content-type":
            content_type = recorded_headers.pop(name)
    if content_type is None:
        content_type = "application/json" if relative.endswith((".json", ".jsonl")) else "application/xml"
    mock.add(
        method,
        url,
        body=content,
        status=status or recorded_status,
        headers=recorded_headers,
        content_type=content_type,
        **kwargs,
    )
