"""Base class of the platform connectors and the helpers they share.

A connector knows one platform: which URL to call for a :class:`Query`, how to
page, and how to turn the payload into :class:`~.records.Mention` objects. It
never imports Odoo: it takes plain settings and returns plain values.

Cursor protocol (``fetch_page``): the cursor is a small JSON-able dict.

* ``{"since": P}``: everything up to position ``P`` (an id or a timestamp) is
  stored; the next call asks for newer items only.
* ``{"since": P, "newest": N, "page": T}``: a multi-page catch-up is under way;
  page token ``T`` continues it, and ``N`` becomes the new ``since`` when the
  last page is stored. Resuming after a crash continues from ``T``.
* ``{}`` (first run): one page is fetched and its newest position becomes
  ``since``; there is no unbounded back-fill of history.
"""

import dataclasses
import datetime
import hashlib
import html
import logging
import re
from html.parser import HTMLParser

from dateutil import parser as date_parser

from . import connection
from .exceptions import (
    AuthenticationError,
    ConfigurationError,
    ConnectorError,
    PayloadError,
    RateLimitedError,
    TransientError,
)
from .http import HttpClient, default_error_message
from .oauth import REFRESH_MARGIN
from .records import Author, Mention, Page

_logger = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 20_000  # characters kept per mention; longer texts are cut and flagged
TRUNCATION_MARK = " […]"
SECRET_SETTINGS = ("access_token", "api_key", "client_id", "client_secret", "password")


@dataclasses.dataclass(frozen=True)
class Query:
    """What a stream listens for."""

    mode: str = "search"  # search | mentions | hashtag | comments | feed | ...
    keywords: tuple = ()
    hashtags: tuple = ()
    handles: tuple = ()
    target: str = ""  # feed URL, video id, page id, subreddit...

    @property
    def terms(self):
        """Every watched term, with hashtags and handles in platform form."""
        return list(self.keywords) + [f"#{tag}" for tag in self.hashtags] + [f"@{handle}" for handle in self.handles]

    def search_string(self, separator=" OR "):
        parts = [f'"{term}"' if " " in term else term for term in self.terms]
        return separator.join(parts)

    def matches(self, text):
        """True when ``text`` contains a watched term (or nothing is watched)."""
        terms = [t.lower() for t in self.terms]
        if not terms:
            return True
        lowered = (text or "").lower()
        return any(term in lowered for term in terms)


def split_terms(value):
    """Split a user-entered list (lines or commas) into clean terms."""
    if not value:
        return ()
    terms = []
    for raw in re.split(r"[\n,]", value):
        term = raw.strip().lstrip("#@").strip() if raw.strip()[:1] in "#@" else raw.strip()
        if term and term not in terms:
            terms.append(term)
    return tuple(terms)


class _TextExtractor(HTMLParser):
    BLOCKS = {"p", "br", "div", "li", "blockquote", "tr", "h1", "h2", "h3", "h4", "pre"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(value):
    """Plain text of an HTML fragment (tags dropped, entities decoded)."""
    if not value:
        return ""
    if "<" not in value:
        return html.unescape(value).strip()
    extractor = _TextExtractor()
    extractor.feed(value)
    extractor.close()
    text = "".join(extractor.parts)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" *\n[ \n]*", "\n", text)
    return text.strip()


def clean_text(text):
    """Text safe to store: no NUL bytes (PostgreSQL refuses them), bounded size."""
    text = (text or "").replace("\x00", "")
    if len(text) > MAX_TEXT_LENGTH:
        _logger.info("Mention text of %d characters truncated to %d", len(text), MAX_TEXT_LENGTH)
        text = text[: MAX_TEXT_LENGTH - len(TRUNCATION_MARK)] + TRUNCATION_MARK
    return text


def parse_datetime(value):
    """An aware UTC datetime from ISO 8601, RFC 822 or a Unix timestamp."""
    if value in (None, ""):
        return None
    try:
        if isinstance(value, int | float):
            return datetime.datetime.fromtimestamp(float(value), tz=datetime.timezone.utc)
        when = date_parser.parse(str(value))
    except (ValueError, OverflowError, TypeError):
        _logger.debug("Unparseable date %r", value)
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    return when.astimezone(datetime.timezone.utc)


def as_int(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def stable_id(*parts):
    """A short deterministic id for items that have none of their own."""
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:24]


class BaseConnector:
    """One platform. Subclasses set the class attributes and implement
    :meth:`request_page` and :meth:`parse`."""

    platform = ""
    label = ""
    modes = ("search",)
    required_settings = ()
    cursor_kind = "time"  # "id": numeric ids grow with time; "time": posted_at
    page_size = 100
    needs_terms = True  # search modes need at least one keyword/hashtag/handle
    can_reply = False  # True when the platform has a write API we support
    supports_webhooks = False  # True when the platform can push deliveries to Odoo
    reply_settings = ("access_token",)  # what posting a reply needs

    def __init__(self, settings=None, http=None):
        self.settings = {k: v for k, v in (settings or {}).items() if v not in (None, "", False)}
        self.http = http or HttpClient()
        self.http.error_message = self.error_message
        self.http.on_error = self.platform_error
        # OAuth (set by the Odoo account): token_refresher(seen_access_token) returns a fresh
        # TokenSet or raises AuthenticationError; token_expires_at says when to call it
        self.token_refresher = None
        self.token_expires_at = None
        self.http.before_request = self._refresh_expiring_token
        self.http.on_unauthorized = self._refresh_refused_token

    # ----------------------------------------------------------- to implement

    def request_page(self, query, since, page_token):
        """Return ``(mentions, next_page_token)`` for one page."""
        raise NotImplementedError

    def parse(self, payload):
        """Turn one decoded response body into a list of mentions."""
        raise NotImplementedError

    def parse_webhook(self, payload):
        """Mentions carried by one webhook delivery (platforms that push)."""
        raise ConfigurationError(f"{self.label or self.platform} does not push webhooks: it is polled")

    def error_message(self, response):
        """Human-readable error message of a failed response."""
        return default_error_message(response)

    def platform_error(self, response):
        """Hook: return an exception for platform-specific error bodies."""
        return

    def reply(self, target, text):
        """Post ``text`` as a public reply to ``target`` (a ``ReplyTarget``);
        return the posted reply as a ``Mention``."""
        raise ConfigurationError(f"{self.label} has no write API: reply on the platform itself")

    @property
    def reply_ready(self):
        """True when replies are possible with the configured credentials."""
        return self.can_reply and all(self.setting(name) for name in self.reply_settings)

    def check_reply(self, text):
        if not self.can_reply:
            raise ConfigurationError(f"{self.label} has no write API: reply on the platform itself")
        missing = [name for name in self.reply_settings if not self.setting(name)]
        if missing:
            raise ConfigurationError(f"{self.label}: replying needs {', '.join(missing)}")
        if not (text or "").strip():
            raise ConfigurationError("The reply is empty")

    # ----------------------------------------------------------------- tokens

    def use_token(self, tokens):
        """Use the access token of a :class:`~.oauth.TokenSet` from now on."""
        self.settings["access_token"] = tokens.access_token
        self.token_expires_at = tokens.expires_at

    def token_refused(self, response):
        """True when ``response`` says the access token is expired or invalid."""
        return response.status_code == 401

    def _refresh_expiring_token(self, kwargs):
        """Before a call: refresh a token about to expire, and put the new one in the request."""
        old = self.settings.get("access_token")
        if not (self.token_refresher and old and self.token_expires_at):
            return
        if self.token_expires_at - datetime.datetime.now(datetime.timezone.utc) > REFRESH_MARGIN:
            return
        self.use_token(self.token_refresher(old))
        _swap_token(kwargs, old, self.settings.get("access_token"))

    def _refresh_refused_token(self, response, kwargs):
        """After a refusal (HTTP 401): refresh once; True when the call should be sent again."""
        old = self.settings.get("access_token")
        if not (self.token_refresher and old and self.token_refused(response)):
            return False
        if not _swap_token(dict(kwargs), old, old):
            return False  # the refused call did not carry our token (e.g. an anonymous read)
        self.use_token(self.token_refresher(old))
        new = self.settings.get("access_token")
        return new != old and _swap_token(kwargs, old, new)
    # ------------------------------------------------------- test connection

    def test_connection(self):
        """Make at most one cheap call with the configured credentials and say
        what works (read, post) and what is missing: a
        :class:`~.connection.ConnectionReport`. Never raises a connector error:
        a refused, unreachable or failing call is a finding of the report."""
        missing = [connection.Finding(connection.SETTING, "", name) for name in self.required_settings]
        missing = [f for f in missing if not self.setting(f.name)]
        calls = self.http.calls
        if missing:
            missing += [f for f in self._post_findings() if f.code == connection.NO_WRITE_API]
            result = connection.report(self.platform, False, self._post_ready(), findings=missing)
        else:
            try:
                result = self.probe()
            except (ConnectorError, ValueError) as err:
                result = self._failed_probe(err)
        return dataclasses.replace(result, calls=self.http.calls - calls)

    def probe(self):
        """The platform's cheap call (override). The default makes none: the
        platform needs no credentials to be read."""
        return connection.report(self.platform, True, self._post_ready(), findings=self._post_findings())

    def _post_ready(self):
        """``post`` of a report when the write side is not probed: False
        without a write API or its settings, else None (not checked)."""
        return None if self.reply_ready else False

    def _post_findings(self):
        """Why replies cannot work with these settings (empty when they may)."""
        if not self.can_reply:
            return [connection.Finding(connection.NO_WRITE_API, connection.POST)]
        missing = [n for n in self.reply_settings if not self.setting(n)]
        if missing:
            return [connection.Finding(connection.SETTING, connection.POST, n) for n in missing]
        return []

    def _failed_probe(self, err):
        """The report of a probe whose call failed with ``err``."""
        detail = f"{type(err).__name__}: {err}"
        for name in SECRET_SETTINGS:  # requests repeats URLs with their query string (key=...)
            if self.setting(name):
                detail = detail.replace(str(self.setting(name)), "***")
        _logger.info("%s: test connection failed: %s", self.platform, detail)
        if isinstance(err, AuthenticationError):
            code = connection.REFUSED
        elif isinstance(err, RateLimitedError):
            code = connection.RATE_LIMITED
        elif isinstance(err, TransientError):
            code = connection.UNREACHABLE
        else:
            code = connection.FAILED
        # refused or failing: it does not work; unreachable or rate limited: it could not be told
        unknown = code in (connection.RATE_LIMITED, connection.UNREACHABLE)
        read = None if unknown else False
        post = False if code == connection.REFUSED or not self.can_reply else None
        return connection.report(self.platform, read, post, findings=[connection.Finding(code)], detail=detail)

    # ---------------------------------------------------------------- helpers

    def setting(self, name, default=None):
        return self.settings.get(name, default)

    def check(self, query):
        missing = [name for name in self.required_settings if not self.setting(name)]
        if missing:
            raise ConfigurationError(
                f"{self.label or self.platform}: missing setting(s) {', '.join(missing)}",
                code="missing_settings",
                settings=missing,
            )
        if query.mode not in self.modes:
            raise ConfigurationError(
                f"{self.label or self.platform} cannot listen in mode {query.mode!r}; "
                f"choose one of {', '.join(self.modes)}",
                code="mode",
                mode=query.mode,
                modes=list(self.modes),
            )
        if self.needs_terms and query.mode in ("search",) and not query.terms:
            raise ConfigurationError(
                f"{self.label or self.platform}: a search stream needs keywords, hashtags or handles",
                code="needs_terms",
            )
        return True

    def position(self, mention):
        if self.cursor_kind == "id":
            return as_int(mention.external_id)
        return mention.posted_at.timestamp() if mention.posted_at else None

    def dump_position(self, position):
        return str(position) if self.cursor_kind == "id" else position

    def load_position(self, value):
        if value in (None, ""):
            return None
        return int(value) if self.cursor_kind == "id" else float(value)

    def since_datetime(self, since):
        return datetime.datetime.fromtimestamp(since, tz=datetime.timezone.utc) if since else None

    def mention(self, **values):
        values["text"] = clean_text(values.get("text"))
        values["title"] = clean_text(values.get("title"))[:500]
        values.setdefault("platform", self.platform)
        values["external_id"] = str(values["external_id"])
        return Mention(**values)

    def parse_items(self, items, parse_one):
        """Parse each item, skipping (and logging) the malformed ones."""
        mentions = []
        for item in items or ():
            if not isinstance(item, dict):
                _logger.warning("%s: skipped an item that is not an object: %r", self.platform, item)
                continue
            try:
                mention = parse_one(item)
            except (KeyError, TypeError, ValueError, AttributeError) as err:
                _logger.warning("%s: skipped a malformed item (%s: %s)", self.platform, type(err).__name__, err)
                continue
            if mention is not None:
                mentions.append(mention)
        return mentions

    def decode(self, payload):
        if isinstance(payload, bytes | str):
            import json

            try:
                return json.loads(payload)
            except ValueError as err:
                raise PayloadError(f"{self.platform}: response is not valid JSON: {err}") from err
        return payload

    # ------------------------------------------------------------- the driver

    def fetch_page(self, query, cursor=None):
        """Fetch the next page for ``query`` after ``cursor`` (see module doc)."""
        self.check(query)
        cursor = dict(cursor or {})
        since = self.load_position(cursor.get("since"))
        newest = self.load_position(cursor.get("newest"))
        if newest is None:
            newest = since
        mentions, next_token = self.request_page(query, since, cursor.get("page"))
        fresh, reached_known = [], False
        for mention in mentions:
            position = self.position(mention)
            if since is not None and position is not None:
                older = position <= since if self.cursor_kind == "id" else position < since
                if older:
                    reached_known = True
                    continue
            fresh.append(mention)
            if position is not None and (newest is None or position > newest):
                newest = position
        more = bool(next_token) and bool(mentions) and since is not None and not reached_known
        if more:
            new_cursor = {
                "since": self.dump_position(since),
                "newest": self.dump_position(newest),
                "page": next_token,
            }
            return Page(fresh, new_cursor, done=False)
        new_cursor = {"since": self.dump_position(newest)} if newest is not None else {}
        return Page(fresh, new_cursor, done=True)


def _swap_token(kwargs, old, new):
    """Replace the access token ``old`` by ``new`` in a request's headers,
    parameters and form data; True when it was found."""
    found = False
    headers = dict(kwargs.get("headers") or {})
    for name, value in headers.items():
        if isinstance(value, str) and old in value:
            headers[name] = value.replace(old, new)
            found = True
    if headers:
        kwargs["headers"] = headers
    for key in ("params", "data"):
        values = kwargs.get(key)
        if isinstance(values, dict) and values.get("access_token") == old:
            kwargs[key] = dict(values, access_token=new)
            found = True
    return found


def author(**values):
    values["handle"] = (values.get("handle") or "").strip()
    values["name"] = (values.get("name") or "").strip()
    values["followers"] = as_int(values.get("followers"))
    values["verified"] = bool(values.get("verified"))
    return Author(**{k: v for k, v in values.items() if v is not None or k == "followers"})
