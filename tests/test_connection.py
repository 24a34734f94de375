"""Test connection: one cheap call per platform, replayed from recorded responses.

Where no recording of the probed endpoint exists, the body follows the
platform's documented shape and the test says which documentation.
"""

import json

import pytest
import responses

from social_crm.connectors import CONNECTORS, ConnectionReport, HttpClient, get_connector
from social_crm.connectors import connection as c
from social_crm.tests import replay


def connector(platform, **settings):
    http = HttpClient(sleep=lambda seconds: None, max_retries=1)
    return get_connector(platform, settings, http=http)


def codes(result):
    return {(f.code, f.capability, f.name) for f in result.findings}


def test_every_platform_answers_with_a_report_and_never_raises_without_settings():
    for platform in CONNECTORS:
        # nothing is registered: any call a probe makes fails as unreachable, and the report says so
        with responses.RequestsMock(assert_all_requests_are_fired=False):
            try:
                result = connector(platform).test_connection()
            except Exception as err:  # noqa: BLE001 - the point of the test
                pytest.fail(f"{platform}: test_connection raised {err!r}")
        assert isinstance(result, ConnectionReport)
        assert result.platform == platform
        assert result.read in (True, False, None) and result.post in (True, False, None)
        for finding in result.findings:
            assert finding.code in c.FINDING_CODES
        json.dumps(result.to_dict())  # plain values only


def test_secrets_never_in_the_detail():
    # a network error message of requests repeats the URL with its query string (key=...)
    with responses.RequestsMock(assert_all_requests_are_fired=False):
        result = connector("youtube", api_key="SECRET-KEY", account_ref="UC1").test_connection()
    assert (c.UNREACHABLE, "", "") in codes(result)
    assert result.detail and "SECRET-KEY" not in result.detail


def test_missing_required_setting_makes_no_call():
    result = connector("x").test_connection()
    assert result.calls == 0
    assert result.read is False and result.post is False
    assert (c.SETTING, "", "access_token") in codes(result)


def test_rss_needs_no_call_and_cannot_post():
    result = connector("rss").test_connection()
    assert result.calls == 0 and result.read is True and result.post is False
    assert codes(result) == {(c.NO_WRITE_API, c.POST, "")}
    assert result.ok


@responses.activate
def test_hackernews_one_public_search():
    replay.add(
        responses,
        "GET",
        "https://hn.algolia.com/api/v1/search_by_date",
        "hackernews/hiringtrends/returns_the_correct_result__08.json",
    )
    result = connector("hackernews").test_connection()
    assert result.calls == 1 and result.read is True and result.post is False


# ------------------------------------------------------------------------ X


@responses.activate
def test_x_user_token_names_the_account_and_says_reading_is_paid():
    replay.add(responses, "GET", "https://api.twitter.com/2/users/me", "x/tweepy/test_client_get_me__00.json")
    result = connector("x", access_token="user-token").test_connection()
    assert result.calls == 1
    assert result.identity == "@TweepyDev" and result.account_ref == "1072250532645998596"
    assert result.read is None  # X has no free read: a paid tier, not tried
    assert (c.TIER, c.READ, "Basic / pay-per-use") in codes(result)
    assert (c.NOT_CHECKED, c.POST, "tweet.write") in codes(result)
    assert responses.calls[0].request.headers["Authorization"] == "Bearer user-token"


@responses.activate
def test_x_app_only_token_cannot_post():
    # No recording of this answer: the body follows X's documented "Unsupported
    # Authentication" problem (docs.x.com, X API v2 "Error and problem types").
    responses.add(
        responses.GET,
        "https://api.twitter.com/2/users/me",
        status=403,
        json={
            "title": "Unsupported Authentication",
            "detail": "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  "
            "Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].",
            "type": "https://api.twitter.com/2/problems/unsupported-authentication",
            "status": 403,
        },
    )
    result = connector("x", access_token="app-bearer").test_connection()
    assert result.post is False and result.read is None
    assert (c.USER_TOKEN, c.POST, "") in codes(result)
    assert result.ok  # the token itself is valid
    assert "Application-Only" in result.detail


@responses.activate
def test_x_invalid_token_is_refused():
    responses.add(responses.GET, "https://api.twitter.com/2/users/me", status=401, json={"title": "Unauthorized"})
    result = connector("x", access_token="bad").test_connection()
    assert (c.REFUSED, "", "") in codes(result)
    assert result.read is False and result.post is False and not result.ok
    assert "bad" not in result.detail  # the token is never in the detail


# ----------------------------------------------------------------- Mastodon

MASTO = "https://mastodon.social"


@responses.activate
def test_mastodon_without_token_checks_the_instance():
    # No recording of /api/v1/instance: the body follows the documented Instance
    # entity (docs.joinmastodon.org/entities/V1_Instance/), trimmed to its first keys.
    responses.add(
        responses.GET,
        f"{MASTO}/api/v1/instance",
        json={"uri": "mastodon.social", "title": "Mastodon", "version": "4.3.0"},
    )
    result = connector("mastodon", base_url=MASTO).test_connection()
    assert result.read is True and result.post is False and result.identity == "Mastodon"
    assert (c.SETTING, c.READ, "access_token") in codes(result)
    assert (c.SETTING, c.POST, "access_token") in codes(result)


def _masto_app(scopes):
    # No recording of /api/v1/apps/verify_credentials: the body follows the
    # documented Application entity (docs.joinmastodon.org/methods/apps/#verify_credentials).
    body = {"id": "9", "name": "Acme listening", "website": None}
    if scopes is not None:
        body["scopes"] = scopes
    responses.add(responses.GET, f"{MASTO}/api/v1/apps/verify_credentials", json=body)


@responses.activate
def test_mastodon_scopes_say_what_works():
    _masto_app(["read", "write"])
    full = connector("mastodon", base_url=MASTO, access_token="t").test_connection()
    assert (full.read, full.post, full.identity, full.findings) == (True, True, "Acme listening", ())
    _masto_app(["read:statuses"])
    partial = connector("mastodon", base_url=MASTO, access_token="t").test_connection()
    assert partial.read is True and partial.post is False
    assert {(c.SCOPE, c.READ, "read:search"), (c.SCOPE, c.READ, "read:notifications")} <= codes(partial)
    assert (c.SCOPE, c.POST, "write:statuses") in codes(partial)
    _masto_app(None)  # before Mastodon 4.3
    old = connector("mastodon", base_url=MASTO, access_token="t").test_connection()
    assert old.read is True and old.post is None


@responses.activate
def test_mastodon_invalid_token_recorded():
    replay.add(
        responses,
        "GET",
        "https://emacs.ch/api/v1/apps/verify_credentials",
        "mastodon/rtoot/process_created_token__00.json",  # recorded on /accounts/verify_credentials: same 401
    )
    result = connector("mastodon", base_url="https://emacs.ch", access_token="bad").test_connection()
    assert (c.REFUSED, "", "") in codes(result)
    assert "access token is invalid" in result.detail


# ------------------------------------------------------------------ Bluesky


@responses.activate
def test_bluesky_anonymous_search_and_app_password():
    replay.add(
        responses,
        "GET",
        "https://public.api.bsky.app/xrpc/app.bsky.feed.searchPosts",
        "bluesky/bskyr/f_search__00.json",
    )
    anonymous = connector("bluesky").test_connection()
    assert anonymous.read is True and anonymous.post is False
    assert (c.SETTING, c.POST, "password") in codes(anonymous)
    # No recording of a successful createSession: the body follows the documented
    # output of com.atproto.server.createSession (docs.bsky.app).
    responses.add(
        responses.POST,
        "https://bsky.social/xrpc/com.atproto.server.createSession",
        json={"accessJwt": "jwt", "refreshJwt": "r", "handle": "acme.bsky.social", "did": "did:plc:abc"},
    )
    logged_in = connector("bluesky", username="acme.bsky.social", password="app-pw").test_connection()
    assert (logged_in.read, logged_in.post, logged_in.identity) == (True, True, "@acme.bsky.social")
    assert logged_in.account_ref == "did:plc:abc"


@responses.activate
def test_bluesky_wrong_app_password_recorded():
    replay.add(
        responses,
        "POST",
        "https://bsky.social/xrpc/com.atproto.server.createSession",
        "bluesky/bskyr/repo_auth_cache__00.json",
    )
    result = connector("bluesky", username="acme", password="wrong").test_connection()
    assert (c.REFUSED, "", "") in codes(result) and result.post is False


# ------------------------------------------------------------------- Reddit


@responses.activate
def test_reddit_user_token():
    replay.add(
        responses,
        "GET",
        "https://oauth.reddit.com/api/v1/me",
        "reddit/praw/TestAuthImplicit.test_implicit__with_invalid_token__00.json",
    )
    refused = connector("reddit", access_token="bad").test_connection()
    assert (c.REFUSED, "", "") in codes(refused)
    responses.reset()
    # No recording of a successful /api/v1/me: the body follows Reddit's documented
    # identity answer (www.reddit.com/dev/api#GET_api_v1_me), trimmed to "name".
    responses.add(responses.GET, "https://oauth.reddit.com/api/v1/me", json={"name": "acme_support"})
    result = connector("reddit", access_token="good").test_connection()
    assert (result.read, result.post, result.identity) == (True, None, "u/acme_support")
    assert (c.NOT_CHECKED, c.POST, "submit") in codes(result)


@responses.activate
def test_reddit_app_only_and_anonymous():
    # No recording of the token endpoint: documented application-only answer
    # (github.com/reddit-archive/reddit/wiki/OAuth2, "Application Only OAuth").
    responses.add(
        responses.POST,
        "https://www.reddit.com/api/v1/access_token",
        json={"access_token": "app", "token_type": "bearer", "expires_in": 86400, "scope": "*"},
    )
    app = connector("reddit", client_id="id", client_secret="secret").test_connection()
    assert app.calls == 1 and app.read is True and app.post is False
    assert (c.USER_TOKEN, c.POST, "") in codes(app)
    anonymous = connector("reddit").test_connection()
    assert anonymous.calls == 0 and anonymous.read is True and anonymous.post is False


# ------------------------------------------------------------------ YouTube

YT = "https://www.googleapis.com/youtube/v3"


@responses.activate
def test_youtube_channel_named_and_replies_need_the_oauth_token():
    replay.add(responses, "GET", f"{YT}/channels", "youtube/sns-python-youtube/apidata__channel_info_single.json")
    result = connector("youtube", api_key="k", account_ref="UC_x5XG1OV2P6uZZ5FSM9Ttw").test_connection()
    assert result.read is True and result.post is False and result.identity == "Google Developers"
    assert (c.SETTING, c.POST, "access_token") in codes(result)


@responses.activate
def test_youtube_bad_key_and_api_not_enabled():
    replay.add(
        responses, "GET", f"{YT}/i18nLanguages", "youtube/sns-python-youtube/testdata__error_response.json", status=400
    )
    bad = connector("youtube", api_key="bad").test_connection()
    assert (c.REFUSED, "", "") in codes(bad) and bad.read is False
    responses.reset()
    replay.add(
        responses, "GET", f"{YT}/channels", "youtube/sns-python-youtube/apidata__error_permission_resp.json", status=403
    )
    denied = connector("youtube", api_key="k", account_ref="UC1").test_connection()
    assert (c.PERMISSION, c.READ, "YouTube Data API v3") in codes(denied)


@responses.activate
def test_youtube_unknown_channel():
    # An empty channel list is YouTube's documented answer for an unknown id
    # (developers.google.com/youtube/v3/docs/channels/list).
    responses.add(responses.GET, f"{YT}/channels", json={"kind": "youtube#channelListResponse", "items": []})
    result = connector("youtube", api_key="k", account_ref="UCnope").test_connection()
    assert (c.NOT_FOUND, c.READ, "account_ref") in codes(result) and result.read is False


# --------------------------------------------------------- Facebook / Instagram

GRAPH = "https://graph.facebook.com/v21.0"


@responses.activate
def test_facebook_page_and_missing_permission():
    replay.add(responses, "GET", f"{GRAPH}/20531316728", "facebook/sns-python-facebook/pages__single_default_page.json")
    result = connector("facebook", access_token="t", account_ref="20531316728").test_connection()
    assert result.read is True and result.post is None and result.identity == "Facebook"
    assert (c.NOT_CHECKED, c.POST, "pages_manage_engagement") in codes(result)
    responses.reset()
    replay.add(
        responses, "GET", f"{GRAPH}/20531316728", "facebook/sns-python-facebook/base__error_data.json", status=400
    )
    denied = connector("facebook", access_token="t", account_ref="20531316728").test_connection()
    assert denied.read is False
    assert (c.PERMISSION, c.READ, "pages_read_engagement") in codes(denied)
    assert "access_token=t" not in denied.detail


def test_facebook_needs_the_page_id():
    result = connector("facebook", access_token="t").test_connection()
    assert result.calls == 0 and (c.SETTING, c.READ, "account_ref") in codes(result)


@responses.activate
def test_instagram_account_named():
    replay.add(responses, "GET", f"{GRAPH}/17841407673135339", "instagram/sns-python-facebook/users__user_fields.json")
    result = connector("instagram", access_token="t", account_ref="17841407673135339").test_connection()
    assert result.read is True and result.identity == "@facebookfordevelopers"
    assert (c.NOT_CHECKED, c.POST, "instagram_manage_comments") in codes(result)
