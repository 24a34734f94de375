"""Webhook parsing and signatures (Meta Page and Instagram deliveries)."""

import hashlib
import hmac
import json

import pytest

from social_crm.connectors import ConfigurationError, get_connector
from social_crm.connectors.webhooks import valid_hub_signature
from social_crm.tests.webhook_payloads import IG_COMMENTS, PAGE_FEED


def test_facebook_page_feed_delivery():
    (mention,) = get_connector("facebook").parse_webhook(json.dumps(PAGE_FEED))
    assert mention.external_id == "10158407654328553_111"
    assert mention.author.name == "Ana Souza" and mention.kind == "reply"
    assert mention.thread_id == mention.parent_id == "19292868552_10158407654328553"
    assert mention.posted_at.year == 2024


def test_instagram_comment_delivery():
    (mention,) = get_connector("instagram").parse_webhook(IG_COMMENTS)
    assert (mention.external_id, mention.author.handle) == ("17858154961981099", "fan_account")
    assert mention.thread_id == "17846368219941692"


def test_polled_platforms_refuse_webhooks():
    with pytest.raises(ConfigurationError, match="polled"):
        get_connector("mastodon").parse_webhook({})


def test_hub_signature():
    body = json.dumps(PAGE_FEED).encode()
    good = "sha256=" + hmac.new(b"app-secret", body, hashlib.sha256).hexdigest()
    assert valid_hub_signature("app-secret", body, good)
    assert not valid_hub_signature("app-secret", body + b" ", good)
    assert not valid_hub_signature("other", body, good)
    assert not valid_hub_signature("app-secret", body, None)
    assert not valid_hub_signature("app-secret", body, "sha1=abc")
    assert not valid_hub_signature("", body, good)
