"""OAuth flows, token refresh hooks and the Bluesky session, without Odoo.

Token endpoints replay the documented answer shapes of ``oauth_payloads``
(no recording of a token exchange exists); API calls replay recordings.
"""

import datetime
import json
from urllib.parse import parse_qs, urlparse

import pytest
import responses

from social_crm.connectors import (
    AuthenticationError,
    ConfigurationError,
    HttpClient,
    Query,
    RateLimitedError,
    ReplyTarget,
    get_connector,
)
from social_crm.connectors.oauth import (
    BlueskySession,
    OAuthClient,
    ReconnectRequired,
    TokenSet,
    get_provider,
    jwt_expiry,
    new_state,
    pkce_challenge,
    pkce_pair,
    redact,
)
from social_crm.tests import oauth_payloads as payloads
from social_crm.tests import replay

NOW = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.timezone.utc)
CLIENT = OAuthClient("client-id-123", "client-secret-456")
REDIRECT = "https://odoo.example.com/social_crm/oauth/x/callback"


def http():
    return HttpClient(sleep=lambda s: None, max_retries=0)


def provider(platform, **kwargs):
    return get_provider(platform, http=http(), now=lambda: NOW, **kwargs)


def form(call):
    return {k: v[0] for k, v in parse_qs(call.request.body).items()}


# ------------------------------------------------------------------ PKCE, state


def test_pkce_matches_the_rfc_7636_example_and_is_random():
    # RFC 7636, appendix B
    assert (
        pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )
    verifier, challenge = pkce_pair()
    assert 43 <= len(verifier) <= 128 and challenge == pkce_challenge(verifier)
    assert pkce_pair()[0] != verifier
    assert len(new_state()) >= 43 and new_state() != new_state()


def test_tokens_and_secrets_stay_out_of_repr_and_messages():
    tokens = TokenSet(access_token="very-secret-access", refresh_token="very-secret-refresh", name="@acme")
    assert "very-secret" not in repr(tokens) and "@acme" in repr(tokens)
    assert "client-secret-456" not in repr(CLIENT)
    assert redact("bad grant very-secret-refresh for x", "very-secret-refresh", "", None) == "bad grant *** for x"


def test_jwt_expiry():
    assert jwt_expiry(payloads.jwt(1_800_000_000)) == datetime.datetime.fromtimestamp(
        1_800_000_000, tz=datetime.timezone.utc
    )
    assert jwt_expiry("not-a-jwt") is None
    assert jwt_expiry(None) is None


# ------------------------------------------------------------- authorize URLs


@pytest.mark.parametrize(
    "platform, host, scopes, extra",
    [
        ("x", "x.com", "tweet.read users.read tweet.write offline.access", {"code_challenge_method": "S256"}),
        ("reddit", "www.reddit.com", "identity read privatemessages submit", {"duration": "permanent"}),
        (
            "youtube",
            "accounts.google.com",
            "https://www.googleapis.com/auth/youtube.force-ssl",
            {"access_type": "offline", "prompt": "consent", "code_challenge_method": "S256"},
        ),
        (
            "facebook",
            "www.facebook.com",
            "pages_show_list,pages_read_engagement,pages_read_user_content,pages_manage_engagement",
            {},
        ),
        ("mastodon", "mastodon.social", "read write:statuses", {"code_challenge_method": "S256"}),
    ],
)
def test_authorize_urls(platform, host, scopes, extra):
    url = provider(platform).authorize_url(CLIENT, REDIRECT, "state-value", code_challenge="challenge-value")
    parsed = urlparse(url)
    params = {k: v[0] for k, v in parse_qs(parsed.query).items()}
    assert parsed.scheme == "https" and parsed.hostname == host
    assert params["client_id"] == "client-id-123" and params["redirect_uri"] == REDIRECT
    assert params["state"] == "state-value" and params["response_type"] == "code"
    assert params["scope"] == scopes
    for key, value in extra.items():
        assert params[key] == value
    assert ("code_challenge" in params) == (platform in ("x", "youtube", "mastodon"))  # Reddit, Facebook: no PKCE
    assert "client-secret-456" not in url


def test_instagram_signs_in_through_facebook_with_instagram_scopes():
    url = provider("instagram").authorize_url(CLIENT, REDIRECT, "s")
    scope = parse_qs(urlparse(url).query)["scope"][0].split(",")
    assert {"instagram_basic", "instagram_manage_comments", "pages_show_list"} <= set(scope)


def test_a_missing_client_id_or_a_bad_instance_is_a_configuration_error():
    with pytest.raises(ConfigurationError, match="client id"):
        provider("x").authorize_url(OAuthClient(""), REDIRECT, "s")
    with pytest.raises(ConfigurationError, match="https"):
        provider("mastodon", instance="http://mastodon.example")
    with pytest.raises(ConfigurationError, match="https"):
        provider("mastodon", instance="https://mastodon.example/some/path")
    with pytest.raises(ConfigurationError, match="no sign-in"):
        get_provider("hackernews")
    assert provider("mastodon", instance="fosstodon.org/").instance == "https://fosstodon.org"


# ------------------------------------------------------------- token exchange


@responses.activate
def test_x_code_exchange_uses_pkce_and_basic_auth_then_identifies():
    responses.add("POST", "https://api.x.com/2/oauth2/token", json=payloads.x_token())
    replay.add(responses, "GET", "https://api.twitter.com/2/users/me", "x/tweepy/test_client_get_me__00.json")
    x = provider("x")
    tokens = x.identify(x.exchange_code(CLIENT, "the-code", REDIRECT, code_verifier="the-verifier"))
    body = form(responses.calls[0])
    assert body == {
        "grant_type": "authorization_code",
        "code": "the-code",
        "redirect_uri": REDIRECT,
        "code_verifier": "the-verifier",
    }
    assert responses.calls[0].request.headers["Authorization"].startswith("Basic ")
    assert responses.calls[1].request.headers["Authorization"] == "Bearer x-access-1"
    assert (tokens.access_token, tokens.refresh_token) == ("x-access-1", "x-refresh-1")
    assert tokens.expires_at == NOW + datetime.timedelta(hours=2)
    assert (tokens.subject, tokens.name) == ("1072250532645998596", "@TweepyDev")  # the recorded users/me


@responses.activate
def test_x_public_client_sends_its_id_in_the_body():
    responses.add("POST", "https://api.x.com/2/oauth2/token", json=payloads.x_token())
    provider("x").exchange_code(OAuthClient("public-id"), "c", REDIRECT, "v")
    assert form(responses.calls[0])["client_id"] == "public-id"
    assert "Authorization" not in responses.calls[0].request.headers


@responses.activate
def test_refresh_keeps_the_refresh_token_when_none_comes_back():
    responses.add("POST", "https://oauth2.googleapis.com/token", json=payloads.google_token("ya29.new", refresh=None))
    tokens = provider("youtube").refresh(CLIENT, "1//old-refresh")
    body = form(responses.calls[0])
    assert body["grant_type"] == "refresh_token" and body["refresh_token"] == "1//old-refresh"
    assert body["client_secret"] == "client-secret-456"  # Google: client_secret_post, in the body
    assert (tokens.access_token, tokens.refresh_token) == ("ya29.new", "1//old-refresh")


@responses.activate
def test_refused_refresh_asks_for_a_reconnect_without_leaking_secrets():
    responses.add("POST", "https://oauth2.googleapis.com/token", json=payloads.GOOGLE_INVALID_GRANT, status=400)
    with pytest.raises(ReconnectRequired, match="expired or revoked") as err:
        provider("youtube").refresh(CLIENT, "1//old-refresh")
    assert "1//old-refresh" not in str(err.value) and "client-secret-456" not in str(err.value)
    # X answers a used (rotated) refresh token with invalid_request: a refresh grant refused is final
    responses.add("POST", "https://api.x.com/2/oauth2/token", json=payloads.X_INVALID_REFRESH, status=400)
    with pytest.raises(ReconnectRequired, match="token was invalid"):
        provider("x").refresh(CLIENT, "x-refresh-used")
    # Reddit says it with HTTP 200 and an "error" member
    responses.add("POST", "https://www.reddit.com/api/v1/access_token", json=payloads.REDDIT_INVALID_GRANT)
    with pytest.raises(ReconnectRequired, match="invalid_grant"):
        provider("reddit").refresh(CLIENT, "r-refresh")
    with pytest.raises(ReconnectRequired):
        provider("mastodon").refresh(CLIENT, "anything")  # Mastodon tokens are not refreshed


@responses.activate
def test_a_server_error_on_refresh_is_not_a_reconnect():
    responses.add("POST", "https://api.x.com/2/oauth2/token", json={"title": "Service Unavailable"}, status=503)
    with pytest.raises(Exception) as err:
        provider("x").refresh(CLIENT, "x-refresh")
    assert not isinstance(err.value, ReconnectRequired)


@responses.activate
def test_a_rate_limited_token_call_keeps_its_delay_and_code_without_the_secret():
    # regression: the secret-free copy of the error was a new error of the same type
    # with only its text and status (a rate limit lost its delay, every error its code)
    responses.add(
        "POST",
        "https://api.x.com/2/oauth2/token",
        json={"title": "Too Many Requests"},
        status=429,
        headers={"Retry-After": "120"},
    )
    with pytest.raises(RateLimitedError) as err:
        provider("x").refresh(CLIENT, "x-refresh-429")
    assert err.value.retry_after == 120 and err.value.status == 429
    assert "x-refresh-429" not in str(err.value) and CLIENT.client_secret not in str(err.value)


@responses.activate
def test_mastodon_registers_the_app_then_exchanges_without_expiry():
    responses.add("POST", "https://mastodon.social/api/v1/apps", json=payloads.MASTODON_APP)
    responses.add("POST", "https://mastodon.social/oauth/token", json=payloads.MASTODON_TOKEN)
    replay.add(
        responses,
        "GET",
        "https://mastodon.social/api/v1/accounts/verify_credentials",
        "mastodon/rtoot/get_account_default__00.json",
    )
    mastodon = provider("mastodon", instance="https://mastodon.social")
    client = mastodon.register_app("https://odoo.example.com/social_crm/oauth/mastodon/callback")
    assert form(responses.calls[0])["scopes"] == "read write:statuses"
    assert client.client_id == payloads.MASTODON_APP["client_id"]
    tokens = mastodon.identify(mastodon.exchange_code(client, "code", REDIRECT, "verifier"))
    body = form(responses.calls[1])
    assert body["client_secret"] == payloads.MASTODON_APP["client_secret"] and body["code_verifier"] == "verifier"
    assert tokens.expires_at is None and not tokens.refresh_token
    assert tokens.name == "@chainsawriot@mastodon.social"  # the recorded account


@responses.activate
def test_facebook_exchanges_for_a_long_lived_token_and_lists_pages_with_the_token_in_a_header():
    token_url = "https://graph.facebook.com/v21.0/oauth/access_token"
    responses.add("POST", token_url, json=payloads.FACEBOOK_SHORT_TOKEN)
    responses.add("POST", token_url, json=payloads.FACEBOOK_LONG_TOKEN)
    responses.add("GET", "https://graph.facebook.com/v21.0/me/accounts", json=payloads.FACEBOOK_ACCOUNTS)
    facebook = provider("instagram")
    user = facebook.exchange_code(CLIENT, "code", REDIRECT)
    assert form(responses.calls[1]) == {
        "grant_type": "fb_exchange_token",
        "fb_exchange_token": "EAAfb-short-user",
        "client_id": "client-id-123",
        "client_secret": "client-secret-456",
    }
    assert user.access_token == "EAAfb-long-user"
    pages = facebook.list_pages(user.access_token)
    call = responses.calls[2]
    assert call.request.headers["Authorization"] == "Bearer EAAfb-long-user"
    assert "EAAfb" not in call.request.url  # no token in a URL
    assert [(p.page_id, p.instagram_id, p.instagram_username) for p in pages] == [
        ("19292868552", "17841405822304914", "acme"),
        ("1234567890", "", ""),
    ]
    assert pages[0].access_token == "EAAfb-page-acme"


@responses.activate
def test_bluesky_session_create_and_refresh():
    session = BlueskySession(http=http())
    responses.add(
        "POST",
        "https://bsky.social/xrpc/com.atproto.server.createSession",
        json=payloads.bluesky_session(1_800_000_000, 1_900_000_000),
    )
    tokens = session.create_session("acme.bsky.social", "app-pass-word")
    assert tokens.subject == "did:plc:ewvi7nxzyoun6zhxrhs64oiz" and tokens.name == "@acme.bsky.social"
    assert tokens.expires_at.timestamp() == 1_800_000_000 and tokens.refresh_expires_at.timestamp() == 1_900_000_000
    responses.add(
        "POST", "https://bsky.social/xrpc/com.atproto.server.refreshSession", json=payloads.BLUESKY_EXPIRED, status=400
    )
    with pytest.raises(ReconnectRequired, match="ExpiredToken"):
        session.refresh_session(tokens.refresh_token)
    assert responses.calls[1].request.headers["Authorization"] == f"Bearer {tokens.refresh_token}"


@responses.activate
def test_bluesky_wrong_app_password_is_a_reconnect_without_the_password():
    replay.add(
        responses,
        "POST",
        "https://bsky.social/xrpc/com.atproto.server.createSession",
        "bluesky/bskyr/repo_auth_cache__00.json",
    )
    with pytest.raises(ReconnectRequired, match="Invalid identifier or password") as err:
        BlueskySession(http=http()).create_session("acme.bsky.social", "wrong-app-password")
    assert "wrong-app-password" not in str(err.value)


# --------------------------------------------------------- refresh in connectors

MENTIONS = "https://oauth.reddit.com/message/mentions"


class Refresher:
    """What the Odoo account does, in memory: hands out the next token."""

    def __init__(self, *tokens):
        self.tokens = list(tokens)
        self.seen = []

    def __call__(self, seen):
        self.seen.append(seen)
        later = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
        return TokenSet(access_token=self.tokens.pop(0), expires_at=later)


@responses.activate
def test_a_401_is_refreshed_once_then_the_call_is_retried():
    replay.add(
        responses, "GET", MENTIONS, "reddit/prawcore/TestSession.test_request__with_invalid_access_token__01.json"
    )
    replay.add(responses, "GET", MENTIONS, "reddit/praw/TestInbox.test_mentions__01.json")
    reddit = get_connector("reddit", {"access_token": "old-token"}, http=http())
    reddit.token_refresher = refresher = Refresher("new-token")
    page = reddit.fetch_page(Query(mode="mentions"))
    assert page.mentions
    assert refresher.seen == ["old-token"]
    auths = [call.request.headers["Authorization"] for call in responses.calls]
    assert auths == ["bearer old-token", "bearer new-token"]


@responses.activate
def test_a_second_401_is_final():
    for _ in range(2):
        replay.add(
            responses, "GET", MENTIONS, "reddit/prawcore/TestSession.test_request__with_invalid_access_token__01.json"
        )
    reddit = get_connector("reddit", {"access_token": "old-token"}, http=http())
    reddit.token_refresher = refresher = Refresher("new-token", "newer-token")
    with pytest.raises(AuthenticationError):
        reddit.fetch_page(Query(mode="mentions"))
    assert refresher.seen == ["old-token"] and len(responses.calls) == 2


@responses.activate
def test_without_a_refresher_a_401_fails_as_before():
    replay.add(
        responses, "GET", MENTIONS, "reddit/prawcore/TestSession.test_request__with_invalid_access_token__01.json"
    )
    with pytest.raises(AuthenticationError):
        get_connector("reddit", {"access_token": "t"}, http=http()).fetch_page(Query(mode="mentions"))
    assert len(responses.calls) == 1


@responses.activate
def test_an_expiring_token_is_refreshed_before_the_call():
    replay.add(
        responses,
        "GET",
        "https://api.twitter.com/2/tweets/search/recent",
        "x/tweepy/test_client_search_recent_tweets__00.json",
    )
    x = get_connector("x", {"access_token": "old-token"}, http=http())
    x.use_token(TokenSet(access_token="old-token", expires_at=datetime.datetime.now(datetime.timezone.utc)))
    x.token_refresher = refresher = Refresher("new-token")
    x.fetch_page(Query(keywords=("Tweepy",)))
    assert refresher.seen == ["old-token"]
    assert responses.calls[0].request.headers["Authorization"] == "Bearer new-token"
    # still valid for an hour: no other refresh
    x.fetch_page(Query(keywords=("Tweepy",)))
    assert refresher.seen == ["old-token"]


@responses.activate
def test_an_anonymous_call_refused_does_not_refresh():
    responses.add("GET", "https://public.api.bsky.app/xrpc/app.bsky.feed.searchPosts", status=401, json={})
    bluesky = get_connector("bluesky", {}, http=http())
    bluesky.token_refresher = refresher = Refresher("t")
    with pytest.raises(AuthenticationError):
        bluesky.fetch_page(Query(keywords=("acme",)))
    assert refresher.seen == []


@responses.activate
def test_bluesky_uses_the_stored_session_and_renews_it_on_expired_token():
    url = "https://bsky.social/xrpc/app.bsky.notification.listNotifications"
    responses.add("GET", url, json={"error": "ExpiredToken", "message": "Token has expired"}, status=400)
    replay.add(responses, "GET", url, "bluesky/bskyr/n_notifications__00.json")
    bluesky = get_connector(
        "bluesky", {"username": "acme.bsky.social", "password": "pw", "access_token": "stored-jwt"}, http=http()
    )
    bluesky.token_refresher = refresher = Refresher("renewed-jwt")
    page = bluesky.fetch_page(Query(mode="mentions"))
    assert page.mentions
    assert refresher.seen == ["stored-jwt"]
    assert [c.request.headers["Authorization"] for c in responses.calls] == ["Bearer stored-jwt", "Bearer renewed-jwt"]
    assert not any("createSession" in c.request.url for c in responses.calls)


@responses.activate
def test_bluesky_without_stored_session_asks_the_keeper_not_create_session():
    replay.add(
        responses,
        "GET",
        "https://bsky.social/xrpc/app.bsky.notification.listNotifications",
        "bluesky/bskyr/n_notifications__00.json",
    )
    bluesky = get_connector("bluesky", {"username": "acme.bsky.social", "password": "pw"}, http=http())
    bluesky.token_refresher = refresher = Refresher("kept-jwt")
    bluesky.fetch_page(Query(mode="mentions"))
    assert refresher.seen == [None]
    assert len(responses.calls) == 1


# ------------------------------------------------------------------ YouTube


@responses.activate
def test_youtube_reads_with_the_oauth_token_instead_of_the_key():
    replay.add(
        responses,
        "GET",
        "https://www.googleapis.com/youtube/v3/commentThreads",
        "youtube/sns-python-youtube/comment_threads__comment_threads_by_video_paged_1.json",
    )
    get_connector("youtube", {"access_token": "ya29.t"}, http=http()).fetch_page(Query(mode="comments", target="v"))
    request = responses.calls[0].request
    assert request.headers["Authorization"] == "Bearer ya29.t" and "key=" not in request.url


@responses.activate
def test_youtube_reply_posts_comments_insert_in_the_thread():
    # comments.insert answers with the comment resource: replay a recorded one
    comment = json.loads(replay.body("youtube/sns-python-youtube/comments__comments_by_parent_paged_1.json"))["items"][
        0
    ]
    responses.add("POST", "https://www.googleapis.com/youtube/v3/comments", json=comment)
    youtube = get_connector("youtube", {"access_token": "ya29.t"}, http=http())
    assert youtube.reply_ready
    reply = youtube.reply(ReplyTarget(external_id="UgwTop", thread_id="F1UP7wRCPH8"), "Thanks for the feedback!")
    call = responses.calls[0]
    assert json.loads(call.request.body) == {
        "snippet": {"parentId": "UgwTop", "textOriginal": "Thanks for the feedback!"}
    }
    assert "part=snippet" in call.request.url and call.request.headers["Authorization"] == "Bearer ya29.t"
    assert reply.external_id == comment["id"] and reply.parent_id == "UgwTop" and reply.kind == "reply"
    # a reply to a reply goes to the top-level comment (YouTube threads have one level)
    youtube.reply(ReplyTarget(external_id="UgwTop.reply1", parent_id="UgwTop"), "Again")
    assert json.loads(responses.calls[1].request.body)["snippet"]["parentId"] == "UgwTop"
    with pytest.raises(ConfigurationError, match="10000"):
        youtube.reply(ReplyTarget(external_id="UgwTop"), "a" * 10_001)
