"""Replies to the platforms, against recorded write responses where they exist."""

import json

import pytest
import responses

from social_crm.connectors import (
    AuthenticationError,
    ConfigurationError,
    ConnectorError,
    HttpClient,
    ReplyTarget,
    get_connector,
)
from social_crm.tests import replay


def connector(platform, **settings):
    return get_connector(platform, settings, http=HttpClient(sleep=lambda s: None, max_retries=0))


@responses.activate
def test_x_reply_posts_in_reply_to():
    replay.add(
        responses, "POST", "https://api.twitter.com/2/tweets", "x/tweepy/test_client_create_and_delete_tweet__00.json"
    )
    reply = connector("x", access_token="user-token").reply(
        ReplyTarget(external_id="1293593516040269825"), "We are on it!"
    )
    body = json.loads(responses.calls[0].request.body)
    assert body == {"text": "We are on it!", "reply": {"in_reply_to_tweet_id": "1293593516040269825"}}
    assert reply.external_id == "1456012973835788293"  # the recorded 201 body
    assert reply.parent_id == "1293593516040269825"


def test_x_reply_length_and_emptiness_are_checked_before_any_call():
    x = connector("x", access_token="t")
    with pytest.raises(ConfigurationError, match="280"):
        x.reply(ReplyTarget(external_id="1"), "a" * 281)
    with pytest.raises(ConfigurationError, match="empty"):
        x.reply(ReplyTarget(external_id="1"), "  ")


@responses.activate
def test_mastodon_reply_addresses_the_author_and_the_local_status():
    status = replay.body("mastodon/rtoot/get_timeline_hashtag_anonymous__00.json")
    first = json.loads(status)[0]
    # the response of POST /statuses is a status entity: replay a recorded one
    responses.add("POST", "https://mastodon.social/api/v1/statuses", json=first)
    masto = connector("mastodon", base_url="https://mastodon.social", access_token="t")
    target = ReplyTarget(external_id=first["uri"], author_handle="amreibahr", raw={"id": "109307661613791619"})
    reply = masto.reply(target, "Thanks for the feedback")
    sent = responses.calls[0].request.body
    assert "in_reply_to_id=109307661613791619" in sent and "status=%40amreibahr+Thanks" in sent
    assert reply.external_id == first["uri"]


@responses.activate
def test_mastodon_validation_error_is_reported():
    replay.add(
        responses,
        "POST",
        "https://mastodon.social/api/v1/statuses",
        "mastodon/mastodon.py/test_lang_for_errors__00.json",
    )
    masto = connector("mastodon", base_url="https://mastodon.social", access_token="t")
    with pytest.raises(ConnectorError, match="HTTP 422"):
        masto.reply(ReplyTarget(external_id="u", raw={"id": "1"}), "x")


@responses.activate
def test_bluesky_reply_threads_root_and_parent():
    replay.add(
        responses,
        "POST",
        "https://bsky.social/xrpc/com.atproto.server.createSession",
        "bluesky/bskyr/repo_auth_cache__00.json",
        status=200,
    )
    # no recorded successful createSession/createRecord exists: the refusal is recorded, so test that path
    bsky = connector("bluesky", username="acme.bsky.social", password="app-pass")
    post = json.loads(replay.body("bluesky/bskyr/f_search__00.json"))["posts"][0]
    target = ReplyTarget(external_id=post["uri"], raw=post)
    replay.add(
        responses,
        "POST",
        "https://bsky.social/xrpc/com.atproto.repo.createRecord",
        "bluesky/bskyr/r_post_errors__00.json",
    )
    with pytest.raises(ConnectorError, match="HTTP 400"):
        bsky.reply(target, "x" * 10)
    record = json.loads(responses.calls[1].request.body)["record"]
    assert record["reply"]["parent"] == {"uri": post["uri"], "cid": post["cid"]}
    assert record["reply"]["root"] == {"uri": post["uri"], "cid": post["cid"]}


@responses.activate
def test_bluesky_wrong_password_on_reply():
    replay.add(
        responses,
        "POST",
        "https://bsky.social/xrpc/com.atproto.server.createSession",
        "bluesky/bskyr/repo_auth_cache__00.json",
    )
    post = json.loads(replay.body("bluesky/bskyr/f_search__00.json"))["posts"][0]
    with pytest.raises(AuthenticationError):
        connector("bluesky", username="a", password="b").reply(ReplyTarget(external_id=post["uri"], raw=post), "hi")


@responses.activate
def test_facebook_reply_is_a_comment_on_the_comment():
    responses.add(
        "POST", "https://graph.facebook.com/v21.0/10158407835073553/comments", json={"id": "10158407835073553_999"}
    )
    reply = connector("facebook", access_token="t").reply(ReplyTarget(external_id="10158407835073553"), "Hello!")
    assert "message=Hello%21" in responses.calls[0].request.body
    assert reply.external_id == "10158407835073553_999"


@responses.activate
def test_facebook_permission_error_on_reply():
    replay.add(
        responses,
        "POST",
        "https://graph.facebook.com/v21.0/1/comments",
        "facebook/sns-python-facebook/testdata__error.json",
        status=400,
    )
    with pytest.raises(AuthenticationError):
        connector("facebook", access_token="t").reply(ReplyTarget(external_id="1"), "Hello!")


def test_instagram_replies_to_comments_and_comments_on_media():
    ig = get_connector("instagram", {"access_token": "t"})
    assert ig._reply_edge(ReplyTarget(external_id="1", raw={"text": "hi", "id": "1"})) == "replies"
    assert ig._reply_edge(ReplyTarget(external_id="1", raw={"caption": "hi", "media_type": "IMAGE"})) == "comments"


@pytest.mark.parametrize("platform", ["hackernews", "rss"])
def test_read_only_platforms_refuse_clearly(platform):
    c = get_connector(platform, {"api_key": "k"})
    assert not c.reply_ready
    with pytest.raises(ConfigurationError, match="no write API"):
        c.reply(ReplyTarget(external_id="1"), "hello")


def test_reply_needs_credentials():
    assert not get_connector("reddit").reply_ready
    assert get_connector("reddit", {"access_token": "t"}).reply_ready
    with pytest.raises(ConfigurationError, match="access_token"):
        get_connector("reddit").reply(ReplyTarget(external_id="t1_x"), "hi")
    # YouTube writes with the OAuth token of the channel, never with an API key
    assert not get_connector("youtube", {"api_key": "k"}).reply_ready
    with pytest.raises(ConfigurationError, match="access_token"):
        get_connector("youtube", {"api_key": "k"}).reply(ReplyTarget(external_id="Ugx"), "hi")
