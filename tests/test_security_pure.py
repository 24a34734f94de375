"""The pure halves of issue 10: the record sanitiser (points 9, 16) and the
webhook checks (point 14). Deliveries follow Meta's documented shapes
(webhook_payloads.py)."""

import datetime
import hashlib
import hmac
import json

import pytest

from social_crm.connectors import Author, Mention
from social_crm.connectors.exceptions import PayloadError
from social_crm.connectors.records import MAX_COUNT, clamp_count, clean_json, clean_string, http_url, sanitize_mention
from social_crm.connectors.webhooks import load_delivery, valid_challenge, valid_hub_signature, valid_token
from social_crm.tests.webhook_payloads import PAGE_FEED

# ----------------------------------------------------------- 9. sanitiser


def test_strings_lose_nul_and_lone_surrogates_but_keep_real_characters():
    assert clean_string("a\x00b") == "ab"
    assert clean_string("broken \ud83d end") == "broken \ufffd end"
    assert clean_string("pair \ud83d\ude00 joined") == "pair \U0001f600 joined"
    assert clean_string("émoji 😀") == "émoji 😀"
    assert clean_string(None) == "" and clean_string(5) == "5"
    assert clean_string("x" * 10, 4) == "xxxx"


def test_counters_fit_an_integer_column():
    assert clamp_count(2**40) == MAX_COUNT == 2**31 - 1
    assert clamp_count(-3) == 0
    assert clamp_count("12") == 12
    assert clamp_count(None) is None and clamp_count("many") is None and clamp_count(True) is None
    assert clamp_count(float("inf")) is None


def test_raw_payload_is_made_storable_as_jsonb():
    deep = current = {}
    for _ in range(200):
        current["x"] = {}
        current = current["x"]
    raw = {"a\x00": ["\ud800", float("nan"), float("inf"), 1.5, 2**70, True, None], "deep": deep}
    clean = clean_json(raw)
    assert clean["a"] == ["\ufffd", None, None, 1.5, 2**70, True, None]
    json.dumps(clean, allow_nan=False).encode("utf-8")  # valid JSON, encodable
    depth, node = 0, clean["deep"]
    while isinstance(node, dict):
        depth, node = depth + 1, node.get("x")
    assert depth < 100


def test_a_poisoned_mention_is_made_storable():
    mention = Mention(
        platform="x",
        external_id="1\x00",
        text="hi \ud800",
        title="t\x00",
        author=Author(handle="h\x00", name="N\ud800", followers=2**40, bio="b" * 100_000),
        like_count=2**33,
        reply_count=-1,
        raw={"text": "hi \ud800\x00"},
        kind="weird",
    )
    clean = sanitize_mention(mention)
    assert clean.external_id == "1" and clean.text == "hi \ufffd" and clean.title == "t"
    assert clean.author.handle == "h" and clean.author.name == "N\ufffd"
    assert clean.author.followers == MAX_COUNT and len(clean.author.bio) == 5000
    assert (clean.like_count, clean.reply_count, clean.kind) == (MAX_COUNT, 0, "post")
    assert clean.raw == {"text": "hi \ufffd"}


def test_mentions_of_another_import_of_the_package_keep_their_author():
    # the command line and bench/ import social_crm.connectors, Odoo odoo.addons.social_crm.connectors:
    # two Author classes; the sanitiser must not take one for the other's absence
    class OtherAuthor:
        handle, name, external_id, url, followers, verified = "ada", "Ada", "42", "https://a.example", 7, True
        avatar_url = bio = website = ""

    class OtherMention:
        platform, external_id, text, author = "x", "1", "hello", OtherAuthor()

    clean = sanitize_mention(OtherMention())
    assert (clean.author.key, clean.author.name, clean.author.followers) == ("42", "Ada", 7)
    assert isinstance(clean, Mention) and clean.text == "hello"


# ----------------------------------------------------------------- 16. URLs


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "vbscript:x",
        "//evil.example/x",
        "https://",
        'https://ok.example/"onmouseover="alert(1)',
        "mailto:a@b.c",
    ],
)
def test_only_http_urls_survive(url):
    assert http_url(url) == ""
    mention = sanitize_mention(
        Mention(platform="x", external_id="1", text="", url=url, author=Author(url=url, website=url, avatar_url=url))
    )
    assert mention.url == mention.author.url == mention.author.website == mention.author.avatar_url == ""


def test_http_urls_are_kept():
    assert http_url(" https://example.org/a?b=1 ") == "https://example.org/a?b=1"
    assert http_url("HTTP://Example.org") == "HTTP://Example.org"
    mention = sanitize_mention(
        Mention(
            platform="x", external_id="1", text="", url="https://x.com/i/1", posted_at=datetime.datetime(2024, 1, 1)
        )
    )
    assert mention.url == "https://x.com/i/1"


# -------------------------------------------------------------- 14. webhooks


def test_tokens_and_signatures_with_any_characters_compare_without_error():
    assert valid_token("verify-me", "verify-me")
    assert not valid_token("verify-me", "vérify-me")
    assert not valid_token("verify-me", "")
    assert not valid_token("", "x")
    body = b"{}"
    good = "sha256=" + hmac.new(b"s", body, hashlib.sha256).hexdigest()
    assert valid_hub_signature("s", body, good)
    assert not valid_hub_signature("s", body, "sha256=ééé")
    assert not valid_hub_signature("s", body, "sha256=\ud800")
    assert not valid_hub_signature("s", body, None)


def test_challenge_is_digits_only():
    assert valid_challenge("1158201444")
    for bad in ("", "<script>", "12a", "١٢٣", "1" * 65, None):
        assert not valid_challenge(bad)


def test_deliveries_of_the_wrong_shape_are_payload_errors():
    assert load_delivery(json.dumps(PAGE_FEED).encode())["entry"]
    deep = b"[" * 100_000 + b"]" * 100_000
    nested = {"entry": []}
    node = nested
    for _ in range(40):
        node["x"] = {}
        node = node["x"]
    for body in (b"{not json", b"[1]", b'"x"', b"5", b'{"entry": ["s"]}', b'{"entry": [{"changes": 5}]}', deep):
        with pytest.raises(PayloadError):
            load_delivery(body)
    with pytest.raises(PayloadError, match="deeply"):
        load_delivery(json.dumps(nested).encode())
    with pytest.raises(PayloadError):
        load_delivery(b'{"entry": [{"changes": [{"value": "text"}]}]}')
