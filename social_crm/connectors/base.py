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

from .exceptions import ConfigurationError, PayloadError
from .http import HttpClient, default_error_message
from .records import Author, Mention, Page
from .replies import ReplyError, reply_length

_logger = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 20_000  # characters kept per mention; longer texts are cut and flagged
TRUNCATION_MARK = " […]"


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
    reply_counting = "characters"  # how the platform counts a post's length (see replies.py)
    reply_limit = None  # the longest public reply the platform accepts (None: no known limit)
    can_reply_privately = False  # True when a private message can answer a mention
    private_reply_limit = None
    private_reply_counting = "characters"

    def __init__(self, settings=None, http=None):
        self.settings = {k: v for k, v in (settings or {}).items() if v not in (None, "", False)}
        self.http = http or HttpClient()
        self.http.error_message = self.error_message
        self.http.on_error = self.platform_error

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

    # ---------------------------------------------------------------- helpers

    def setting(self, name, default=None):
        return self.settings.get(name, default)

    def check(self, query):
        missing = [name for name in self.required_settings if not self.setting(name)]
        if missing:
            raise ConfigurationError(f"{self.label or self.platform}: missing setting(s) {', '.join(missing)}")
        if query.mode not in self.modes:
            raise ConfigurationError(
                f"{self.label or self.platform} cannot listen in mode {query.mode!r}; "
                f"choose one of {', '.join(self.modes)}"
            )
        if self.needs_terms and query.mode in ("search",) and not query.terms:
            raise ConfigurationError(
                f"{self.label or self.platform}: a search stream needs keywords, hashtags or handles"
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


def author(**values):
    values["handle"] = (values.get("handle") or "").strip()
    values["name"] = (values.get("name") or "").strip()
    values["followers"] = as_int(values.get("followers"))
    values["verified"] = bool(values.get("verified"))
    return Author(**{k: v for k, v in values.items() if v is not None or k == "followers"})
