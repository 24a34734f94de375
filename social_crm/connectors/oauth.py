"""OAuth 2.0 and session sign-in of the platforms, in pure Python (no Odoo).

What each platform needs to link an account and keep it linked:

* an authorize URL (authorization-code flow, with PKCE where the platform
  supports it) and the exchange of the returned code for tokens;
* the refresh of an expiring access token (Reddit, X, Google), or a
  replacement (Bluesky: ``refreshSession``, ``createSession`` as the last
  resort);
* one identity call to learn who was connected (user id, handle, channel).

Providers take plain values and return :class:`TokenSet` objects; storing
them, locking and scheduling are the Odoo account's business.

Secrets never leave through an error text: every message built from a
platform's answer is passed through :func:`redact` with the secrets the call
sent. Client secrets and refresh tokens travel in the request body or the
``Authorization`` header, never in a URL.
"""

import base64
import copy
import dataclasses
import datetime
import hashlib
import json
import secrets
from urllib.parse import urlencode, urlparse

from .exceptions import AuthenticationError, ConfigurationError, ConnectorError
from .http import HttpClient

STATE_BYTES = 32
VERIFIER_BYTES = 48  # 64 URL-safe characters: RFC 7636 asks for 43 to 128
REFRESH_MARGIN = datetime.timedelta(minutes=5)  # refresh an access token this long before it expires
# OAuth error codes (RFC 6749 section 5.2, and the platforms' own) meaning that
# the grant is gone: only a new sign-in helps
RECONNECT_ERRORS = {
    "invalid_grant",
    "invalid_client",
    "unauthorized_client",
    "invalid_token",
    "access_denied",
    "ExpiredToken",  # Bluesky: a refresh JWT expired or revoked
    "InvalidToken",
    "AuthenticationRequired",  # Bluesky: wrong handle or app password
    "AccountTakedown",
}
MAX_PAGE_LISTS = 10  # pages of /me/accounts read at most (100 Pages each)


def _redacted(error, *secrets):
    """``error`` with the secrets sent taken out of its text; its type, status, code,
    parameters (and retry delay) kept."""
    copy_ = copy.copy(error)
    copy_.args = (redact(error, *secrets),)
    return copy_


class ReconnectRequired(AuthenticationError):
    """The platform no longer accepts the stored grant (revoked, expired,
    app removed): an administrator must sign in again."""


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


def redact(text, *secret_values):
    """``text`` with every secret value replaced by ``***``."""
    text = str(text or "")
    for value in secret_values:
        if value and len(str(value)) >= 4:
            text = text.replace(str(value), "***")
    return text


def new_state():
    """An unguessable ``state`` value for one authorization request."""
    return secrets.token_urlsafe(STATE_BYTES)


def pkce_pair():
    """``(code_verifier, code_challenge)`` for PKCE with the S256 method."""
    verifier = secrets.token_urlsafe(VERIFIER_BYTES)
    return verifier, pkce_challenge(verifier)


def pkce_challenge(verifier):
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def jwt_expiry(token):
    """The ``exp`` claim of a JWT as an aware datetime (not verified: it only
    says when to refresh), or None."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return datetime.datetime.fromtimestamp(int(claims["exp"]), tz=datetime.timezone.utc)
    except (AttributeError, IndexError, KeyError, TypeError, ValueError, OverflowError):
        return None


@dataclasses.dataclass(frozen=True)
class OAuthClient:
    """The administrator's developer app on a platform."""

    client_id: str
    client_secret: str = dataclasses.field(default="", repr=False)


@dataclasses.dataclass(frozen=True)
class TokenSet:
    """Tokens of one connected account, and who it is. ``repr`` hides the tokens."""

    access_token: str = dataclasses.field(repr=False)
    refresh_token: str = dataclasses.field(default="", repr=False)
    expires_at: datetime.datetime | None = None
    refresh_expires_at: datetime.datetime | None = None
    scope: str = ""
    subject: str = ""  # the platform's id of the account: X user id, DID, channel id, Page id
    name: str = ""  # how the administrator recognises it: @handle, Page name

    def expiring(self, now=None, margin=REFRESH_MARGIN):
        """True when the access token is expired or expires within ``margin``."""
        return bool(self.expires_at) and self.expires_at <= (now or _now()) + margin

    def refresh_usable(self, now=None):
        return bool(self.refresh_token) and not (self.refresh_expires_at and self.refresh_expires_at <= (now or _now()))


@dataclasses.dataclass(frozen=True)
class PageChoice:
    """A Facebook Page the user manages, with its Instagram professional account if any."""

    page_id: str
    name: str
    access_token: str = dataclasses.field(repr=False)
    instagram_id: str = ""
    instagram_username: str = ""


class OAuthProvider:
    """The authorization-code flow of one platform (RFC 6749, RFC 7636)."""

    platform = ""
    label = ""
    authorize_endpoint = ""
    token_endpoint = ""
    scopes = ()
    scope_separator = " "
    pkce = False
    client_auth = "basic"  # "basic": HTTP Basic with id and secret; "body": both in the form
    authorize_params = {}
    can_refresh = True

    def __init__(self, http=None, now=_now):
        self.http = http or HttpClient(max_retries=1)
        self.http.on_error = self.token_error
        self.now = now

    # ------------------------------------------------------------------ flow

    def authorize_url(self, client, redirect_uri, state, code_challenge=None):
        """Where to send the administrator's browser to sign in and consent."""
        if not client.client_id:
            raise ConfigurationError(
                f"{self.label}: the client id of your developer app is missing", code="no_client_id"
            )
        params = {
            "response_type": "code",
            "client_id": client.client_id,
            "redirect_uri": redirect_uri,
            "scope": self.scope_separator.join(self.scopes),
            "state": state,
        }
        params.update(self.authorize_params)
        if self.pkce and code_challenge:
            params.update(code_challenge=code_challenge, code_challenge_method="S256")
        return f"{self.authorize_endpoint}?{urlencode(params)}"

    def exchange_code(self, client, code, redirect_uri, code_verifier=None):
        """Trade the authorization code for tokens."""
        if not code:
            raise ConfigurationError(f"{self.label} returned no authorization code", code="no_authorization_code")
        data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        if self.pkce and code_verifier:
            data["code_verifier"] = code_verifier
        payload = self._token_call(client, data, code, code_verifier)
        return self.token_set(payload)

    def refresh(self, client, refresh_token):
        """A new access token from the refresh token (kept when none comes back)."""
        if not (self.can_refresh and refresh_token):
            raise ReconnectRequired(
                f"{self.label}: no refresh token is stored; connect the account again", code="no_refresh_token"
            )
        data = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        try:
            payload = self._token_call(client, data, refresh_token)
        except ReconnectRequired:
            raise
        except ConnectorError as err:
            if err.status in (400, 401, 403):
                # a refused refresh grant (X says "invalid_request" for a used refresh token)
                raise ReconnectRequired(str(err), status=err.status) from None
            raise
        return self.token_set(payload, previous_refresh=refresh_token)

    def identify(self, tokens):
        """``tokens`` completed with the account's id and handle (one API call)."""
        return tokens

    # --------------------------------------------------------------- helpers

    def _token_call(self, client, data, *sent_secrets):
        data = dict(data)
        kwargs = {}
        if self.client_auth == "basic" and client.client_secret:
            kwargs["auth"] = (client.client_id, client.client_secret)
        else:
            data["client_id"] = client.client_id
            if client.client_secret:
                data["client_secret"] = client.client_secret
        secrets_sent = (client.client_secret, *sent_secrets)
        try:
            payload = self.http.post_json(self.token_endpoint, data=data, **kwargs)
        except ConnectorError as err:
            raise _redacted(err, *secrets_sent) from None
        if not isinstance(payload, dict) or not payload.get("access_token"):
            # Reddit answers some refusals with HTTP 200 and {"error": "invalid_grant"}
            error = payload.get("error") if isinstance(payload, dict) else None
            message = redact(self._describe(payload), *secrets_sent)
            if error in RECONNECT_ERRORS:
                raise ReconnectRequired(
                    f"{self.label} refused the sign-in: {message}", status=400, code="sign_in_refused"
                )
            raise ConnectorError(f"{self.label} returned no access token: {message}", code="no_access_token")
        return payload

    def token_set(self, payload, previous_refresh=""):
        expires_in = payload.get("expires_in")
        try:
            expires_at = self.now() + datetime.timedelta(seconds=int(expires_in)) if expires_in else None
        except (TypeError, ValueError):
            expires_at = None
        scope = payload.get("scope") or ""
        if isinstance(scope, list):
            scope = " ".join(scope)
        return TokenSet(
            access_token=payload["access_token"],
            refresh_token=payload.get("refresh_token") or previous_refresh or "",
            expires_at=expires_at,
            scope=scope,
        )

    @staticmethod
    def _describe(payload):
        if not isinstance(payload, dict):
            return "unexpected answer"
        error = payload.get("error")
        if isinstance(error, dict):  # Graph API
            return f"{error.get('message', '')} (code {error.get('code')})"
        description = payload.get("error_description") or payload.get("message") or ""
        return f"{error} ({description})" if error and description else str(error or description or "no token")

    def token_error(self, response):
        """HTTP error hook: a refused grant becomes :class:`ReconnectRequired`."""
        if response.status_code not in (400, 401, 403):
            return None
        try:
            payload = response.json()
        except ValueError:
            return None
        if not isinstance(payload, dict):
            return None
        error = payload.get("error")
        if isinstance(error, dict):  # Graph API: {"error": {"type": "OAuthException", "code": 190}}
            if error.get("type") == "OAuthException":
                return ReconnectRequired(
                    f"{self.label} refused the sign-in: {self._describe(payload)}", status=response.status_code
                )
            return None
        if error in RECONNECT_ERRORS or response.status_code == 401:
            return ReconnectRequired(
                f"{self.label} refused the sign-in: {self._describe(payload)}", status=response.status_code
            )
        return None


class RedditOAuth(OAuthProvider):
    """https://github.com/reddit-archive/reddit/wiki/OAuth2: ``duration=permanent``
    gives a refresh token; tokens last an hour. Reddit has no PKCE."""

    platform = "reddit"
    label = "Reddit"
    authorize_endpoint = "https://www.reddit.com/api/v1/authorize"
    token_endpoint = "https://www.reddit.com/api/v1/access_token"
    scopes = ("identity", "read", "privatemessages", "submit")
    authorize_params = {"duration": "permanent"}

    def identify(self, tokens):
        me = self.http.get_json(
            "https://oauth.reddit.com/api/v1/me", headers={"Authorization": f"bearer {tokens.access_token}"}
        )
        name = me.get("name") or ""
        return dataclasses.replace(tokens, subject=str(me.get("id") or ""), name=f"u/{name}" if name else "")


class XOAuth(OAuthProvider):
    """X OAuth 2.0 authorization code with PKCE; ``offline.access`` gives a
    refresh token (X rotates it at every refresh); access tokens last 2 hours."""

    platform = "x"
    label = "X"
    authorize_endpoint = "https://x.com/i/oauth2/authorize"
    token_endpoint = "https://api.x.com/2/oauth2/token"
    scopes = ("tweet.read", "users.read", "tweet.write", "offline.access")
    pkce = True

    def identify(self, tokens):
        me = self.http.get_json(
            "https://api.twitter.com/2/users/me", headers={"Authorization": f"Bearer {tokens.access_token}"}
        )
        user = me.get("data") or {}
        username = user.get("username") or ""
        return dataclasses.replace(tokens, subject=str(user.get("id") or ""), name=f"@{username}" if username else "")


class GoogleOAuth(OAuthProvider):
    """Google OAuth 2.0 for the YouTube Data API: ``access_type=offline`` and
    ``prompt=consent`` return a refresh token; PKCE is supported."""

    platform = "youtube"
    label = "YouTube"
    authorize_endpoint = "https://accounts.google.com/o/oauth2/v2/auth"
    token_endpoint = "https://oauth2.googleapis.com/token"
    scopes = ("https://www.googleapis.com/auth/youtube.force-ssl",)
    pkce = True
    client_auth = "body"
    authorize_params = {"access_type": "offline", "prompt": "consent", "include_granted_scopes": "true"}

    def identify(self, tokens):
        payload = self.http.get_json(
            "https://www.googleapis.com/youtube/v3/channels",
            params={"part": "snippet", "mine": "true"},
            headers={"Authorization": f"Bearer {tokens.access_token}"},
        )
        items = payload.get("items") or []
        if not items:
            return tokens
        channel = items[0]
        return dataclasses.replace(
            tokens, subject=channel.get("id") or "", name=(channel.get("snippet") or {}).get("title") or ""
        )


class MastodonOAuth(OAuthProvider):
    """Mastodon: the app is registered on each instance (``POST /api/v1/apps``);
    tokens do not expire and there is no refresh. PKCE is sent (Mastodon 4.3
    and later check it; older instances ignore it)."""

    platform = "mastodon"
    label = "Mastodon"
    scopes = ("read", "write:statuses")
    pkce = True
    client_auth = "body"
    can_refresh = False
    APP_NAME = "Odoo Social CRM"

    def __init__(self, instance, http=None, now=_now):
        super().__init__(http=http, now=now)
        self.instance = self.instance_url(instance)
        self.authorize_endpoint = f"{self.instance}/oauth/authorize"
        self.token_endpoint = f"{self.instance}/oauth/token"

    @staticmethod
    def instance_url(value):
        value = (value or "").strip().rstrip("/") or "https://mastodon.social"
        if "://" not in value:
            value = f"https://{value}"
        parsed = urlparse(value)
        if parsed.scheme != "https" or not parsed.hostname or parsed.path not in ("", "/"):
            raise ConfigurationError(
                f"Mastodon: {value!r} is not an https instance address like https://mastodon.social",
                code="instance_url",
                value=value,
            )
        return f"https://{parsed.netloc}"

    def register_app(self, redirect_uri, website=""):
        """Register the app on the instance; returns its :class:`OAuthClient`."""
        data = {"client_name": self.APP_NAME, "redirect_uris": redirect_uri, "scopes": " ".join(self.scopes)}
        if website:
            data["website"] = website
        payload = self.http.post_json(f"{self.instance}/api/v1/apps", data=data)
        if not payload.get("client_id"):
            raise ConnectorError(
                f"Mastodon ({self.instance}) did not register the app",
                code="app_not_registered",
                instance=self.instance,
            )
        return OAuthClient(payload["client_id"], payload.get("client_secret") or "")

    def exchange_code(self, client, code, redirect_uri, code_verifier=None):
        tokens = super().exchange_code(client, code, redirect_uri, code_verifier)
        return dataclasses.replace(tokens, expires_at=None)

    def identify(self, tokens):
        me = self.http.get_json(
            f"{self.instance}/api/v1/accounts/verify_credentials",
            headers={"Authorization": f"Bearer {tokens.access_token}"},
        )
        acct = me.get("acct") or me.get("username") or ""
        host = urlparse(self.instance).hostname
        return dataclasses.replace(tokens, subject=str(me.get("id") or ""), name=f"@{acct}@{host}" if acct else "")


class FacebookOAuth(OAuthProvider):
    """Facebook Login for Pages and Instagram professional accounts.

    The code gives a short-lived user token, exchanged for a long-lived one
    (about 60 days); the Page tokens listed with it do not expire, so the
    account stores a Page token and nothing is refreshed."""

    platform = "facebook"
    label = "Facebook"
    scope_separator = ","
    client_auth = "body"
    can_refresh = False
    VERSION = "v21.0"
    PAGE_SCOPES = ("pages_show_list", "pages_read_engagement", "pages_read_user_content", "pages_manage_engagement")
    INSTAGRAM_SCOPES = ("instagram_basic", "instagram_manage_comments")

    def __init__(self, http=None, now=_now, instagram=False):
        super().__init__(http=http, now=now)
        self.scopes = self.PAGE_SCOPES + (self.INSTAGRAM_SCOPES if instagram else ())
        self.authorize_endpoint = f"https://www.facebook.com/{self.VERSION}/dialog/oauth"
        self.token_endpoint = f"https://graph.facebook.com/{self.VERSION}/oauth/access_token"
        self.graph = f"https://graph.facebook.com/{self.VERSION}"

    def exchange_code(self, client, code, redirect_uri, code_verifier=None):
        """Code -> short-lived user token -> long-lived user token."""
        short = super().exchange_code(client, code, redirect_uri)
        data = {"grant_type": "fb_exchange_token", "fb_exchange_token": short.access_token}
        return self.token_set(self._token_call(client, data, short.access_token))

    def list_pages(self, user_token):
        """The Pages the user manages, with their Page tokens and Instagram accounts."""
        pages, after = [], None
        for _page in range(MAX_PAGE_LISTS):
            params = {"fields": "id,name,access_token,instagram_business_account{id,username}", "limit": 100}
            if after:
                params["after"] = after
            # the token goes in the header: paging "next" links carry it in the URL, so they are not followed
            payload = self.http.get_json(
                f"{self.graph}/me/accounts", params=params, headers={"Authorization": f"Bearer {user_token}"}
            )
            for item in payload.get("data") or ():
                if not (isinstance(item, dict) and item.get("id") and item.get("access_token")):
                    continue
                instagram = item.get("instagram_business_account") or {}
                pages.append(
                    PageChoice(
                        page_id=str(item["id"]),
                        name=item.get("name") or str(item["id"]),
                        access_token=item["access_token"],
                        instagram_id=str(instagram.get("id") or ""),
                        instagram_username=instagram.get("username") or "",
                    )
                )
            paging = payload.get("paging") or {}
            after = (paging.get("cursors") or {}).get("after") if paging.get("next") else None
            if not after:
                break
        return pages


class BlueskySession:
    """Bluesky sign-in with an app password: ``createSession`` opens a session
    (rate limited: 30 per 5 minutes, 300 a day per account), ``refreshSession``
    renews it with the refresh JWT (which is rotated)."""

    platform = "bluesky"
    label = "Bluesky"
    DEFAULT_PDS = "https://bsky.social/xrpc"

    def __init__(self, pds=None, http=None, now=_now):
        self.pds = (pds or self.DEFAULT_PDS).rstrip("/")
        self.http = http or HttpClient(max_retries=1)
        self.http.on_error = self.session_error
        self.now = now

    def create_session(self, identifier, password):
        if not (identifier and password):
            raise ReconnectRequired(
                "Bluesky: the handle and the app password are needed to sign in",
                code="missing_settings",
                settings=["username", "password"],
            )
        try:
            payload = self.http.post_json(
                f"{self.pds}/com.atproto.server.createSession",
                json={"identifier": identifier, "password": password},
            )
        except ConnectorError as err:
            raise _redacted(err, password) from None
        return self._tokens(payload)

    def refresh_session(self, refresh_jwt):
        payload = self.http.post_json(
            f"{self.pds}/com.atproto.server.refreshSession", headers={"Authorization": f"Bearer {refresh_jwt}"}
        )
        return self._tokens(payload)

    def _tokens(self, payload):
        if not (isinstance(payload, dict) and payload.get("accessJwt")):
            raise ConnectorError("Bluesky did not open a session", code="no_session")
        return TokenSet(
            access_token=payload["accessJwt"],
            refresh_token=payload.get("refreshJwt") or "",
            expires_at=jwt_expiry(payload["accessJwt"]),
            refresh_expires_at=jwt_expiry(payload.get("refreshJwt") or ""),
            subject=payload.get("did") or "",
            name=f"@{payload['handle']}" if payload.get("handle") else "",
        )

    def session_error(self, response):
        if response.status_code not in (400, 401):
            return None
        try:
            payload = response.json()
        except ValueError:
            return None
        error = payload.get("error") if isinstance(payload, dict) else None
        if error in RECONNECT_ERRORS:
            return ReconnectRequired(f"Bluesky refused the session: {error} ({payload.get('message', '')})", status=400)
        return None


PROVIDERS = {
    "reddit": RedditOAuth,
    "x": XOAuth,
    "youtube": GoogleOAuth,
    "mastodon": MastodonOAuth,
    "facebook": FacebookOAuth,
    "instagram": FacebookOAuth,
}
# the callback path of each platform: Instagram signs in through Facebook Login
CALLBACK_PLATFORM = {"instagram": "facebook"}


def get_provider(platform, http=None, instance=None, now=_now):
    """The OAuth provider of ``platform`` (ConfigurationError if it has none)."""
    if platform == "mastodon":
        return MastodonOAuth(instance, http=http, now=now)
    if platform in ("facebook", "instagram"):
        return FacebookOAuth(http=http, now=now, instagram=platform == "instagram")
    try:
        return PROVIDERS[platform](http=http, now=now)
    except KeyError:
        raise ConfigurationError(
            f"{platform} has no sign-in flow: enter its credentials by hand", code="no_sign_in_flow"
        ) from None
