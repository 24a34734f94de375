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
import functools
import hashlib
import html
import json
import logging
import re

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
from .replies import ReplyError, reply_length

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


BLOCK_TAGS = frozenset(
    {"p", "br", "div", "li", "ul", "ol", "blockquote", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "hr"}
)
MAX_HTML_LENGTH = 5 * MAX_TEXT_LENGTH  # markup read per text: enough for the text that is kept
# One pass of one regular expression, left to right: every alternative either
# matches where it starts or fails at the next "<", ">" or quote, and an
# unclosed comment, CDATA section or script runs to the end (as browsers read
# them), so the cost is linear in the length whatever the markup. A "<" that
# opens no well-formed tag is text.
_MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<!\[CDATA\[(?P<cdata>.*?)(?:\]\]>|\Z)"
    r"|<(?P<skip>script|style|template|noscript)\b(?:[^<>\"']|\"[^\"]*\"|'[^']*')*>.*?(?:</(?P=skip)\s*>|\Z)"
    r"|<[!?][^<>]*>"
    r"|</?(?P<tag>[A-Za-z][A-Za-z0-9:_.-]*)(?:[\s/](?:[^<>\"']|\"[^\"]*\"|'[^']*')*)?>",
    re.DOTALL | re.IGNORECASE,
)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_NEWLINES = re.compile(r" ?\n[ \n]*")


def _markup_text(match):
    if match.group("cdata") is not None:
        return match.group("cdata")
    tag = match.group("tag")
    return "\n" if tag and tag.lower() in BLOCK_TAGS else ""


def html_to_text(value):
    """Plain text of an HTML fragment (tags dropped, entities decoded).

    Bounded: at most ``MAX_HTML_LENGTH`` characters of markup are read, in one
    linear pass (no parser state machine to trip: issue 10, points 7 and 18)."""
    if not value or not isinstance(value, str):
        return ""
    if len(value) > MAX_HTML_LENGTH:
        value = value[:MAX_HTML_LENGTH]
    if "<" not in value:
        text = html.unescape(value)
    else:
        text = html.unescape(_MARKUP.sub(_markup_text, value))
    text = _SPACES.sub(" ", text)
    text = _NEWLINES.sub("\n", text)
    return text.strip()


def clean_text(text):
    """Text safe to store: no NUL bytes (PostgreSQL refuses them), bounded size."""
    text = (text or "").replace("\x00", "")
    if len(text) > MAX_TEXT_LENGTH:
        _logger.info("Mention text of %d characters truncated to %d", len(text), MAX_TEXT_LENGTH)
        text = text[: MAX_TEXT_LENGTH - len(TRUNCATION_MARK)] + TRUNCATION_MARK
    return text


# Day and month names of the feeds' languages other than English (fr, de, es, pt, it), as
# RFC 822 dates written by localised software show them ("mer, 16 nov 2022 10:00:00 +0100").
_MONTHS = {
    1: "janv janvier jän jänner januar ene enero janeiro gen gennaio",
    2: "févr fevr février fevrier februar febrero fev fevereiro febbraio",
    3: "mars mär märz maerz mrz marzo março marco",
    4: "avr avril abr abril aprile",
    5: "mai mayo maio mag maggio",
    6: "juin juni junio junho giu giugno",
    7: "juil juillet juli julio julho lug luglio",
    8: "août aout ago agosto",
    9: "sept septembre set setembro septiembre setiembre settembre",
    10: "okt oktober out outubro octubre ott ottobre octobre",
    11: "novembre noviembre novembro",
    12: "déc dec décembre decembre dez dezember dic diciembre dezembro dicembre",
}
_MONTH_NAMES = {name: month for month, names in _MONTHS.items() for name in names.split()}
_ENGLISH_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WORD = re.compile(r"[^\W\d_]+\.?")
_FILLERS = {"de", "del", "di", "le", "den", "der", "um", "à", "a", "às", "h"}
MAX_DATE_LENGTH = 80  # longer "dates" are not dates (and dateutil's cost grows with them)


def _english_date(value):
    """``value`` with localised day and month names made English, or None."""
    changed, words = False, []
    position = 0
    for match in _WORD.finditer(value):
        words.append(value[position : match.start()])
        position = match.end()
        word = match.group().rstrip(".").lower()
        if word in _MONTH_NAMES:
            words.append(_ENGLISH_MONTHS[_MONTH_NAMES[word]])
            changed = True
        elif word in _FILLERS or not value[: match.start()].strip(" ,"):
            changed = True  # "de", or a leading day name: dropped
        else:
            words.append(match.group())
    words.append(value[position:])
    return "".join(words) if changed else None


def _to_utc(when):
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    return when.astimezone(datetime.timezone.utc)


def parse_datetime(value):
    """An aware UTC datetime from ISO 8601, RFC 822 (English or localised names)
    or a Unix timestamp; None when it cannot be read (never an exception)."""
    if value in (None, "") or isinstance(value, bool):
        return None
    try:
        if isinstance(value, int | float):
            return datetime.datetime.fromtimestamp(float(value), tz=datetime.timezone.utc)
        if not isinstance(value, str) or len(value) > MAX_DATE_LENGTH:
            return None
        try:
            return _to_utc(date_parser.parse(value))
        except (ValueError, OverflowError):
            english = _english_date(value)
            if english is None:
                raise
            return _to_utc(date_parser.parse(english))
    except (ValueError, OverflowError, TypeError, ArithmeticError, OSError, LookupError):
        _logger.debug("Unparseable date %r", value)
        return None


def as_int(value):
    """An int from a JSON number or a digit string; None for anything else
    (bools, NaN, infinities, floats with a fraction, garbage)."""
    if isinstance(value, bool) or value in (None, ""):
        return None
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        value = value.strip()
        if not (value.isascii() and value.lstrip("-").isdigit()) or len(value) > 30:
            return None
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None


def stable_id(*parts):
    """A short deterministic id for items that have none of their own."""
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:24]


MAX_JSON_DEPTH = 512  # deeper payloads are refused: walking or storing them would recurse too far
MAX_INT_DIGITS = 4000  # Python refuses to read longer integers (int_max_str_digits)
_KINDS = {dict: "a JSON object", list: "a JSON array", str: "a string", type(None): "null"}


def _kind(value):
    return _KINDS.get(type(value), type(value).__name__)


def _json_int(text):
    # a number too long for int() stays a string: one item's field, not the whole payload
    return int(text) if len(text) <= MAX_INT_DIGITS else text


def _too_deep(value):
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return True
        if isinstance(node, dict):
            stack.extend((child, depth + 1) for child in node.values() if isinstance(child, dict | list))
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node if isinstance(child, dict | list))
    return False


def items_of(payload, key, platform=""):
    """The list under ``key`` of a response object: ``[]`` when absent or null;
    any other type is a :class:`PayloadError` (the payload is not what it claims)."""
    value = payload.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise PayloadError(f"{platform or 'payload'}: expected a list in {key!r}, got {_kind(value)}")
    return value


def error_for_status(status, message):
    """The typed error the HTTP layer raises for ``status`` (for error bodies
    that carry an HTTP code, e.g. inside a successful response)."""
    status = as_int(status)
    if status in (401, 403):
        return AuthenticationError(message, status=status)
    if status == 429:
        return RateLimitedError(message, status=status)
    if status is not None and 500 <= status < 600:
        return TransientError(message, status=status)
    return ConnectorError(message, status=status)


def payload_parser(parse):
    """Decorator of ``parse`` methods: whatever the payload, only typed errors
    leave. A crash the parser did not foresee is logged as a bug (with its
    traceback) and becomes a :class:`PayloadError` for the whole payload."""

    @functools.wraps(parse)
    def guarded(self, payload, *args, **kwargs):
        try:
            return parse(self, payload, *args, **kwargs)
        except (ConnectorError, MemoryError):
            raise
        except Exception as err:
            _logger.error("%s: parser bug on an unexpected payload", self.platform, exc_info=True)
            raise PayloadError(f"{self.platform}: unreadable payload ({type(err).__name__})") from err

    return guarded


def walk(roots, children, limit=100_000):
    """Depth-first, in document order, without recursion: ``children(node)``
    gives a node's children. At most ``limit`` nodes (a hostile tree ends)."""
    stack = list(reversed(list(roots)))
    seen = 0
    while stack and seen < limit:
        node = stack.pop()
        seen += 1
        yield node
        stack.extend(reversed(list(children(node))))


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
    local_refs = False  # True when replies name their parent by a server-local key (see local_ref)
    reply_counting = "characters"  # how the platform counts a post's length (see replies.py)
    reply_limit = None  # the longest public reply the platform accepts (None: no known limit)
    can_reply_privately = False  # True when a private message can answer a mention
    private_reply_limit = None
    private_reply_counting = "characters"
    # keys of a raw payload that replies (and ``local_ref``) read: kept when the
    # rest of an old payload is dropped (see :meth:`reply_raw`)
    reply_keys = ()

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

    def local_ref(self, raw):
        """The key under which replies read from this account's server name the
        post ``raw`` (its raw payload), when that is not its external id; "" otherwise."""
        return ""

    def reply_raw(self, raw):
        """The part of the raw payload ``raw`` that replying to the post needs.

        Old payloads are dropped to save space and personal data; what is
        returned here is kept so that replies still work. Empty when replies
        read nothing from the payload."""
        if not isinstance(raw, dict):
            return {}
        return {key: raw[key] for key in self.reply_keys if key in raw}

    def parse_webhook(self, payload):
        """Mentions carried by one webhook delivery (platforms that push)."""
        raise ConfigurationError(
            f"{self.label or self.platform} does not push webhooks: it is polled", code="no_webhooks"
        )

    def error_message(self, response):
        """Human-readable error message of a failed response."""
        return default_error_message(response)

    def platform_error(self, response):
        """Hook: return an exception for platform-specific error bodies."""
        return

    def reply(self, target, text, private=False):
        """Post ``text`` in answer to ``target`` (a ``ReplyTarget``): a public
        reply, or a private message when ``private``; return what was posted
        as a ``Mention``. Everything that can be checked is checked before the
        call (:meth:`check_reply`)."""
        self.check_reply(target, text, private)
        raise ReplyError("no_write_api", f"{self.label} has no write API: reply on the platform itself")

    @property
    def reply_ready(self):
        """True when replies are possible with the configured credentials."""
        return self.can_reply and all(self.setting(name) for name in self.reply_settings)

    def reply_length(self, text, private=False):
        """The length of ``text`` as the platform counts it."""
        return reply_length(text, self.private_reply_counting if private else self.reply_counting)

    def max_reply_length(self, private=False):
        """The longest reply the platform accepts (None: no known limit)."""
        return self.private_reply_limit if private else self.reply_limit

    def check_reply(self, target, text, private=False):
        """Raise :class:`ReplyError` when the reply cannot be posted as it is."""
        if not self.can_reply:
            raise ReplyError("no_write_api", f"{self.label} has no write API: reply on the platform itself")
        missing = [name for name in self.reply_settings if not self.setting(name)]
        if missing:
            raise ReplyError(
                "missing_credentials", f"{self.label}: replying needs {', '.join(missing)}", missing=missing
            )
        if private and not self.can_reply_privately:
            raise ReplyError("no_private", f"{self.label}: private messages are not supported")
        if not (text or "").strip():
            raise ReplyError("empty", "The reply is empty")
        limit = self.max_reply_length(private)
        length = self.reply_length(self.reply_text(target, text, private), private)
        if limit and length > limit:
            raise ReplyError(
                "too_long",
                f"A {self.label} reply is at most {limit} characters ({length} given)",
                length=length,
                limit=limit,
            )
        return True

    def reply_text(self, target, text, private=False):
        """The text as it will be posted (some platforms address the author)."""
        return text.strip()

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
        """Parse each item, skipping (and logging) the malformed ones: one bad
        item (a wrong type, a number or a date out of range...) never loses the
        others. ``items`` that are not a list make the payload unreadable. A post
        that comes twice (a feed with a post and its repost) is kept once."""
        if items is None:
            return []
        if not isinstance(items, list | tuple):
            raise PayloadError(f"{self.platform}: expected a list of items, got {_kind(items)}")
        mentions, seen = [], set()
        for item in items:
            if not isinstance(item, dict):
                _logger.warning("%s: skipped an item that is not an object: %s", self.platform, _kind(item))
                continue
            try:
                mention = parse_one(item)
            except (ConnectorError, MemoryError):
                raise
            except Exception as err:  # one item: logged and skipped, the page goes on
                _logger.warning("%s: skipped a malformed item (%s: %s)", self.platform, type(err).__name__, err)
                continue
            if mention is not None and mention.external_id not in seen:  # a post twice in a page: once
                seen.add(mention.external_id)
                mentions.append(mention)
        return mentions

    def decode(self, payload, types=(dict,)):
        """The JSON value of a response body, checked to be one of ``types``
        (``None``: any) and nested at most ``MAX_JSON_DEPTH`` deep; anything
        else is a :class:`PayloadError`."""
        if isinstance(payload, bytes | bytearray | str):
            try:
                try:
                    payload = json.loads(payload, parse_int=_json_int)
                except UnicodeDecodeError:  # a bad byte: read the rest rather than lose the page
                    payload = json.loads(bytes(payload).decode("utf-8", errors="replace"), parse_int=_json_int)
            except RecursionError as err:
                raise PayloadError(f"{self.platform}: response is nested too deeply") from err
            except ValueError as err:
                raise PayloadError(f"{self.platform}: response is not valid JSON: {str(err)[:200]}") from err
        if _too_deep(payload):
            raise PayloadError(f"{self.platform}: response is nested more than {MAX_JSON_DEPTH} levels deep")
        if types and not isinstance(payload, types):
            wanted = " or ".join(_KINDS.get(t, t.__name__) for t in types)
            raise PayloadError(f"{self.platform}: expected {wanted}, got {_kind(payload)}")
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
