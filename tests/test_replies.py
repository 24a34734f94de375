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
    mastodon,
)
from social_crm.connectors.replies import (
    ReplyError,
    grapheme_length,
    mastodon_length,
    reply_length,
    x_weighted_length,
)
from social_crm.tests import replay


def connector(platform, **settings):
    return get_connector(platform, settings, http=HttpClient(sleep=lambda s: None, max_retries=0))


@pytest.fixture(autouse=True)
def _forget_instance_limits():
    mastodon._limits.clear()
    yield
    mastodon._limits.clear()


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


@responses.activate
def test_x_reply_length_and_emptiness_are_checked_before_any_call():
    x = connector("x", access_token="t")
    with pytest.raises(ConfigurationError, match="280"):
        x.reply(ReplyTarget(external_id="1"), "a" * 281)
    with pytest.raises(ConfigurationError, match="empty"):
        x.reply(ReplyTarget(external_id="1"), "  ")
    assert not responses.calls


@responses.activate
def test_mastodon_reply_addresses_the_author_and_the_local_status():
    status = replay.body("mastodon/rtoot/get_timeline_hashtag_anonymous__00.json")
    first = json.loads(status)[0]
    # the response of POST /statuses is a status entity: replay a recorded one
    responses.add("POST", "https://mastodon.social/api/v1/statuses", json=first)
    masto = connector("mastodon", base_url="https://mastodon.social", access_token="t")
    target = ReplyTarget(external_id=first["uri"], author_handle="amreibahr", raw={"id": "109307661613791619"})
    reply = masto.reply(target, "Thanks for the feedback")
    [sent] = [call.request.body for call in responses.calls if call.request.method == "POST"]
    assert "in_reply_to_id=109307661613791619" in sent and "status=%40amreibahr+Thanks" in sent
    assert "visibility=public" in sent
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


# ------------------------------------------------------------ lengths and limits


def test_graphemes_are_what_a_reader_counts():
    family, flag, thumbs = "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\U0001f1eb\U0001f1f7", "\U0001f44d\U0001f3fd"
    assert grapheme_length(family + flag + thumbs) == 3
    assert grapheme_length("e\u0301te\u0301") == 3  # combining accents stay with their letter
    assert grapheme_length("\U0001f1eb\U0001f1f7\U0001f1e9\U0001f1ea\U0001f1ee") == 3  # two flags and a lone indicator
    assert grapheme_length("1\ufe0f\u20e3 a\r\nb") == 5  # keycap, space, a, CR LF, b
    assert grapheme_length("\u0915\u094d\u0937\u093f") == 1  # Devanagari conjunct "kshi"
    assert grapheme_length("") == 0


def test_graphemes_agree_with_the_unicode_segmentation_where_available():
    regex = pytest.importorskip("regex")
    samples = [
        "Ça marche pas 😡😡 #fail",
        "👩🏽‍💻 works, 🏳️‍🌈 flag, 🇩🇪🇫🇷 and ❤️",
        "Привет, 世界! Tiếng Việt có dấu",
        "नमस्ते क्षत्रिय",
        "🏴󠁧󠁢󠁳󠁣󠁴󠁿 Scotland 1️⃣2️⃣",
    ]
    for text in samples:
        assert grapheme_length(text) == len(regex.findall(r"\X", text)), text


def test_x_weighted_count():
    assert x_weighted_length("a" * 280) == 280
    assert x_weighted_length("日本語") == 6  # CJK weighs 2
    assert x_weighted_length("👍🏽👨‍👩‍👧") == 4  # an emoji weighs 2, whatever its code points
    assert x_weighted_length("see https://example.com/" + "x" * 100) == 4 + 23  # every link weighs 23
    assert x_weighted_length("café") == x_weighted_length("cafe\u0301") == 4  # NFC first


def test_mastodon_count_links_and_remote_mentions():
    assert mastodon_length("@jane@mastodon.social thanks") == len("@jane thanks")
    assert mastodon_length("https://example.com/" + "a" * 200) == 23
    assert reply_length("abc", "characters") == 3


@responses.activate
def test_bluesky_refuses_more_than_300_graphemes_before_any_call():
    bsky = connector("bluesky", username="acme.bsky.social", password="app-pass")
    post = json.loads(replay.body("bluesky/bskyr/f_search__00.json"))["posts"][0]
    target = ReplyTarget(external_id=post["uri"], raw=post)
    thumbs = "\U0001f44d\U0001f3fd"
    assert bsky.reply_length(thumbs * 300) == 300
    with pytest.raises(ReplyError) as caught:
        bsky.reply(target, thumbs * 301)  # 301 graphemes, 602 code points
    assert caught.value.code == "too_long" and caught.value.params == {"length": 301, "limit": 300}
    assert not responses.calls


@responses.activate
def test_x_refuses_by_weighted_count_and_accepts_long_links():
    x = connector("x", access_token="t")
    with pytest.raises(ReplyError, match="280"):
        x.reply(ReplyTarget(external_id="1"), "日" * 141)  # 141 characters, weight 282
    assert not responses.calls
    replay.add(
        responses, "POST", "https://api.twitter.com/2/tweets", "x/tweepy/test_client_create_and_delete_tweet__00.json"
    )
    text = "Status page: https://status.example.com/" + "x" * 300  # 340 characters, weight 36
    assert x.reply(ReplyTarget(external_id="1"), text).external_id == "1456012973835788293"


@responses.activate
def test_mastodon_uses_the_instance_limit():
    # No recording of GET /api/v2/instance exists: the body follows the documented
    # Instance entity (https://docs.joinmastodon.org/entities/Instance/#statuses).
    responses.add(
        "GET",
        "https://fosstodon.org/api/v2/instance",
        json={"domain": "fosstodon.org", "configuration": {"statuses": {"max_characters": 1000}}},
    )
    status = json.loads(replay.body("mastodon/rtoot/get_timeline_hashtag_anonymous__00.json"))[0]
    responses.add("POST", "https://fosstodon.org/api/v1/statuses", json=status)
    masto = connector("mastodon", base_url="https://fosstodon.org", access_token="t")
    target = ReplyTarget(external_id="u", author_handle="jane", raw={"id": "1"})
    assert masto.max_reply_length() == 1000
    masto.reply(target, "a" * 900)
    with pytest.raises(ReplyError, match="1000"):
        masto.reply(target, "a" * 995)  # "@jane " makes it 1001
    assert len(responses.calls) == 2  # the instance was asked once


@responses.activate
def test_mastodon_limit_defaults_to_500_when_the_instance_does_not_answer():
    masto = connector("mastodon", base_url="https://quiet.example", access_token="t")
    with pytest.raises(ReplyError, match="500"):
        masto.reply(ReplyTarget(external_id="u", raw={"id": "1"}), "a" * 501)


@responses.activate
def test_a_direct_message_is_not_answered_in_public():
    notification = next(
        n
        for n in json.loads(replay.body("mastodon/mastodon.py/test_entity_notification__00.json"))
        if (n.get("status") or {}).get("visibility") == "direct"
    )
    status = notification["status"]
    responses.add("POST", "https://mastodon.social/api/v1/statuses", json=status)
    masto = connector("mastodon", base_url="https://mastodon.social", access_token="t")
    target = ReplyTarget(external_id=status["uri"], author_handle=status["account"]["acct"], raw=status)
    masto.reply(target, "We sent you the details")  # a public reply was asked for
    [sent] = [call.request.body for call in responses.calls if call.request.method == "POST"]
    assert "visibility=direct" in sent
    assert "status=%40latencyobs%40icosahedron.website+We+sent" in sent


@responses.activate
def test_mastodon_private_reply_is_a_direct_message():
    status = json.loads(replay.body("mastodon/rtoot/get_timeline_hashtag_anonymous__00.json"))[0]
    responses.add("POST", "https://mastodon.social/api/v1/statuses", json=status)
    masto = connector("mastodon", base_url="https://mastodon.social", access_token="t")
    masto.reply(ReplyTarget(external_id=status["uri"], author_handle="jane", raw=status), "DM", private=True)
    [sent] = [call.request.body for call in responses.calls if call.request.method == "POST"]
    assert "visibility=direct" in sent and "status=%40jane+DM" in sent
    unlisted = dict(status, visibility="unlisted")
    assert masto.reply_visibility(ReplyTarget(external_id="u", raw=unlisted)) == "unlisted"


@responses.activate
def test_x_direct_message_to_the_author():
    replay.add(
        responses,
        "POST",
        "https://api.twitter.com/2/dm_conversations/with/750362064426721281/messages",
        "x/tweepy/test_manage_and_lookup_direct_messages__00.json",
    )
    target = ReplyTarget(external_id="1293593516040269825", raw={"author_id": "750362064426721281"})
    sent = connector("x", access_token="user-token").reply(target, "Please send us your order number", private=True)
    assert json.loads(responses.calls[0].request.body) == {"text": "Please send us your order number"}
    assert sent.external_id == "1585800613253812228"  # the recorded dm_event_id
    assert sent.parent_id == "1293593516040269825"
    with pytest.raises(ReplyError) as caught:
        connector("x", access_token="t").reply(ReplyTarget(external_id="1"), "hi", private=True)
    assert caught.value.code == "missing_target"


@responses.activate
def test_facebook_private_reply_to_a_comment():
    # No recording of a private reply exists: request and response follow Meta's documented
    # shapes (https://developers.facebook.com/docs/messenger-platform/discovery/private-replies/).
    responses.add(
        "POST",
        "https://graph.facebook.com/v21.0/1234/messages",
        json={"recipient_id": "1254459154682919", "message_id": "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM"},
    )
    fb = connector("facebook", access_token="page-token", account_ref="1234")
    target = ReplyTarget(external_id="10158407835073553_999", parent_id="10158407835073553")
    sent = fb.reply(target, "We sent you a private message", private=True)
    body = json.loads(responses.calls[0].request.body)
    assert body == {
        "recipient": {"comment_id": "10158407835073553_999"},
        "message": {"text": "We sent you a private message"},
    }
    assert responses.calls[0].request.headers["Authorization"] == "Bearer page-token"
    assert "page-token" not in responses.calls[0].request.url
    assert sent.external_id == "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM"
    with pytest.raises(ReplyError, match="2000"):
        fb.reply(target, "a" * 2001, private=True)


@pytest.mark.parametrize("platform", ["bluesky", "reddit", "instagram"])
def test_private_messages_only_where_the_platform_allows_them(platform):
    c = get_connector(platform, {"access_token": "t", "username": "u", "password": "p"})
    with pytest.raises(ReplyError) as caught:
        c.reply(ReplyTarget(external_id="1", raw={"cid": "c"}), "hello", private=True)
    assert caught.value.code == "no_private"


def test_errors_carry_a_code_for_the_user_facing_message():
    with pytest.raises(ReplyError) as caught:
        get_connector("mastodon").reply(ReplyTarget(external_id="1", raw={"id": "1"}), "hello")
    assert caught.value.code == "missing_credentials" and caught.value.params == {"missing": ["access_token"]}
    with pytest.raises(ReplyError) as caught:
        get_connector("mastodon", {"access_token": "t"}).reply(ReplyTarget(external_id="1"), "hello")
    assert caught.value.code == "missing_target"
    with pytest.raises(ReplyError) as caught:
        get_connector("hackernews", {}).reply(ReplyTarget(external_id="1"), "hello")
    assert caught.value.code == "no_write_api"
    with pytest.raises(ReplyError) as caught:  # YouTube writes with the OAuth token only
        get_connector("youtube", {"api_key": "k"}).reply(ReplyTarget(external_id="1"), "hello")
    assert caught.value.code == "missing_credentials"


# ------------------------------------------------------- what old payloads keep


@pytest.mark.parametrize(
    ("platform", "raw", "kept"),
    [
        (
            "mastodon",
            {"id": "7", "visibility": "direct", "content": "<p>secret</p>"},
            {"id": "7", "visibility": "direct"},
        ),
        ("x", {"author_id": "42", "text": "hello"}, {"author_id": "42"}),
        (
            "facebook",
            {"item": "comment", "message": "hi", "parent": {"message": "a post"}},
            {"item": "comment", "parent": True},
        ),
        ("instagram", {"caption": "a photo", "id": "9"}, {"media_type": None}),
        ("instagram", {"text": "a comment", "id": "9"}, {}),
        ("reddit", {"body": "text", "id": "t1_x"}, {}),
        ("rss", {"title": "t"}, {}),
        ("mastodon", "not a payload", {}),
    ],
)
def test_an_old_payload_keeps_only_what_replies_read(platform, raw, kept):
    assert connector(platform).reply_raw(raw) == kept


def test_bluesky_keeps_the_content_id_and_the_thread_root_not_the_text():
    root = {"uri": "at://did:plc:root/app.bsky.feed.post/1", "cid": "bafyroot"}
    raw = {"cid": "bafychild", "record": {"text": "my order is late", "reply": {"root": root, "parent": root}}}
    assert connector("bluesky").reply_raw(raw) == {"cid": "bafychild", "record": {"reply": {"root": root}}}
    assert connector("bluesky").reply_raw({"record": {"text": "no cid"}}) == {}


@pytest.mark.parametrize(
    ("platform", "raw", "settings"),
    [
        ("mastodon", {"id": "7", "visibility": "public", "content": "x"}, {"access_token": "t"}),
        ("bluesky", {"cid": "bafy", "record": {"text": "x"}}, {"username": "a.bsky.social", "password": "p"}),
        ("x", {"author_id": "42", "text": "x"}, {"access_token": "t"}),
    ],
)
def test_a_reply_checks_out_the_same_on_the_kept_part(platform, raw, settings):
    conn = connector(platform, **settings)
    private = platform == "x"
    whole = ReplyTarget(external_id="at://did:plc:a/app.bsky.feed.post/2", raw=raw, author_handle="jane")
    trimmed = ReplyTarget(external_id=whole.external_id, raw=conn.reply_raw(raw), author_handle="jane")
    assert conn.check_reply(trimmed, "Thanks", private) == conn.check_reply(whole, "Thanks", private)
    with pytest.raises(ReplyError) as caught:  # dropped whole: refused before any call, and said why
        conn.check_reply(ReplyTarget(external_id=whole.external_id, raw={}, author_handle="jane"), "Thanks", private)
    assert caught.value.code == "missing_target"
