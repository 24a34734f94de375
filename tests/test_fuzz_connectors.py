"""Fuzzing every connector's parser with mutations of recorded responses (issue 10, point 18).

Whatever the payload, only typed errors (:class:`ConnectorError`) may leave a
``parse``, and the parsers' last-resort guard (``payload_parser``, which logs
"parser bug") must never be what stopped a crash: every hostile input is
either a deliberate :class:`PayloadError` for the whole payload or a logged
skip of one item.

Bounded and reproducible: ``SOCIAL_CRM_FUZZ_ROUNDS`` seeded mutations per
platform (default 120, a few seconds each). A longer run, outside the normal
suite::

    SOCIAL_CRM_FUZZ_ROUNDS=20000 SOCIAL_CRM_FUZZ_SEED=7 python -m pytest -q tests/test_fuzz_connectors.py
"""

import json
import logging
import os
import random
import traceback

import pytest

from social_crm.connectors import CONNECTORS, ConnectorError, get_connector
from social_crm.tests import replay, webhook_payloads

ROUNDS = int(os.environ.get("SOCIAL_CRM_FUZZ_ROUNDS", "120"))
SEED = int(os.environ.get("SOCIAL_CRM_FUZZ_SEED", "13"))

HOSTILE_VALUES = [
    None,
    True,
    0,
    -1,
    5,
    2**63,
    10**40,
    1e308,
    -1e308,
    1e-320,
    "",
    "x",
    "NaN",
    "inf",
    "-0",
    "9" * 5000,
    "1e400",
    "99999-99-99T99:99:99Z",
    "mer, 32 nov 20222",
    "\ud800",
    "a\x00b",
    "\u2028\u2029",
    "&lt;![x[",
    "<a" * 2000,
    "<!--" * 500,
    '<a href="' * 500,
    "🔥" * 3000,
    "at://did:plc:x/app.bsky.feed.post/1",
    "https://example.com/" + "a/" * 500,
    [],
    [None],
    [1, "2", {}],
    {},
    {"id": 1},
    {"kind": "t1", "data": 5},
    {"post": {"uri": 5, "record": {"text": []}}},
]


def _deep(depth):
    value = "leaf"
    for _ in range(depth):
        value = {"a": [value]}
    return value


def _nodes(document):
    """Every (container, key) of a JSON document, without recursion."""
    found, stack = [], [document]
    while stack and len(found) < 20_000:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            found.append((node, key))
            if isinstance(value, dict | list):
                stack.append(value)
    return found


def mutate_json(document, rng):
    document = json.loads(json.dumps(document))
    nodes = _nodes(document)
    for _ in range(rng.randint(1, 4)):
        if not nodes:
            return rng.choice(HOSTILE_VALUES)
        container, key = rng.choice(nodes)
        action = rng.random()
        if action < 0.55:
            container[key] = rng.choice(HOSTILE_VALUES)
        elif action < 0.65:
            container[key] = _deep(rng.choice((50, 150, 300)))  # deeper ones: see mutate_bytes
        elif action < 0.75 and isinstance(container, dict):
            del container[key]
            nodes = _nodes(document)
        elif action < 0.85:
            container[key] = [container[key]] if rng.random() < 0.5 else {"wrapped": container[key]}
            nodes = _nodes(document)
        else:
            other_container, other_key = rng.choice(nodes)
            container[key] = json.loads(json.dumps(other_container[other_key]))
            nodes = _nodes(document)
    return document


MARKUP = [
    b"&lt;![x[",
    b"<![CDATA[",
    b"&nbsp;",
    b"&#xD800;",
    b"&#0;",
    b"\x00",
    b"<a" * 500,
    b"<item><title>t</title></item>" * 50,
    b"<entry><id>1</id></entry>",
    b'xml:base="::not a url"',
    b'<link href="//[::1"/>',
    b"</channel>",
    b"<!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;'>]>",
]
ENCODINGS = [b"idna", b" big5 ", b"base64", b"utf-7", b"rot13", b"x-unknown", b"utf-16", b"cp1252", b"zlib", b"u"]


def mutate_bytes(body, rng):
    body = bytearray(body)
    for _ in range(rng.randint(1, 4)):
        action = rng.random()
        position = rng.randrange(len(body) + 1)
        if action < 0.2:
            del body[position:]
        elif action < 0.4:
            for _ in range(rng.randint(1, 20)):
                if body:
                    body[rng.randrange(len(body))] = rng.randrange(256)
        elif action < 0.7:
            body[position:position] = rng.choice(MARKUP)
        elif action < 0.8:
            declaration = b'<?xml version="1.0" encoding="' + rng.choice(ENCODINGS) + b'"?>'
            body[:0] = declaration
        elif action < 0.85:
            depth = rng.choice((600, 5000, 50_000))  # beyond what a recursive reader survives
            body[position:position] = b'{"a":[' * depth + b"1" + b"]}" * depth
        else:
            chunk = body[position : position + rng.randint(1, 200)]
            body[position:position] = chunk * rng.randint(2, 50)
    return bytes(body)


def recordings(platform):
    folder = os.path.join(replay.FIXTURES, platform)
    paths = []
    for directory, _folders, names in os.walk(folder):
        paths += [os.path.join(directory, n) for n in sorted(names) if not n.endswith((".meta.json", ".md"))]
    bodies = []
    for path in sorted(paths):
        with open(path, "rb") as handle:
            body = handle.read()
        if path.endswith(".jsonl"):
            bodies += [line for line in body.splitlines() if line.strip()][:3]
        elif len(body) < 400_000:
            bodies.append(body)
    return bodies


def _documents(platform):
    documents = []
    for body in recordings(platform):
        try:
            documents.append(json.loads(body))
        except ValueError:
            documents.append(body)
    if platform == "facebook":
        documents.append(webhook_payloads.PAGE_FEED)
    elif platform == "instagram":
        documents.append(webhook_payloads.IG_COMMENTS)
    return documents


@pytest.mark.parametrize("platform", sorted(CONNECTORS))
def test_only_typed_errors_leave_a_parser(platform, caplog):
    rng = random.Random(f"{SEED}:{platform}")
    connector = get_connector(platform)
    documents = _documents(platform)
    assert documents, f"no recording of {platform}"
    parsers = [connector.parse] + ([connector.parse_webhook] if connector.supports_webhooks else [])
    caplog.set_level(logging.WARNING, logger="social_crm.connectors")
    for round_number in range(ROUNDS):
        document = rng.choice(documents)
        try:
            if isinstance(document, bytes):
                payload = mutate_bytes(document, rng)
            elif rng.random() < 0.8:
                payload = json.dumps(mutate_json(document, rng)).encode()
            else:
                payload = mutate_bytes(json.dumps(document).encode(), rng)
        except (RecursionError, ValueError):  # too deep (or circular) for the fuzzer's own json.dumps
            continue
        parse = rng.choice(parsers)
        try:
            mentions = parse(payload)
        except ConnectorError:
            continue
        except Exception as err:  # pragma: no cover - the failure being tested for
            pytest.fail(f"{platform} round {round_number} (seed {SEED}): {type(err).__name__}: {err}")
        for mention in mentions:
            assert isinstance(mention.text, str) and isinstance(mention.external_id, str)
        bugs = [r for r in caplog.records if "parser bug" in r.getMessage()]
        if bugs:
            where = "".join(traceback.format_exception(*bugs[0].exc_info)[-3:])
            pytest.fail(f"{platform} round {round_number} (seed {SEED}): the guard caught\n{where}")
