"""Plain values that cross the boundary between connectors and Odoo.

Every connector turns its platform's payload into :class:`Mention` objects;
nothing outside ``connectors/`` ever sees a raw platform payload except as the
``raw`` attribute, which is stored for audit and re-processing.
"""

import dataclasses
import datetime
import functools
import json
import math
import re
import urllib.parse


@dataclasses.dataclass(frozen=True)
class Author:
    """Who wrote a mention, as the platform describes them."""

    handle: str = ""
    name: str = ""
    external_id: str = ""
    url: str = ""
    followers: int | None = None
    verified: bool = False
    avatar_url: str = ""
    bio: str = ""
    website: str = ""

    @property
    def key(self):
        """Stable identity of the author on its platform."""
        return (self.external_id or self.handle or self.name or "").strip().lower()


@dataclasses.dataclass(frozen=True)
class Mention:
    """One post, comment or feed entry, normalised across platforms."""

    platform: str
    external_id: str
    text: str
    url: str = ""
    posted_at: datetime.datetime | None = None
    author: Author = dataclasses.field(default_factory=Author)
    title: str = ""
    language: str = ""  # the platform's own language tag, if it gives one
    thread_id: str = ""  # conversation / root post id
    parent_id: str = ""  # the post this one answers, if any
    like_count: int | None = None
    reply_count: int | None = None
    share_count: int | None = None
    kind: str = "post"  # post | reply | share (repost or quote)
    raw: dict = dataclasses.field(default_factory=dict, compare=False, repr=False)

    def to_dict(self, with_raw=False):
        data = dataclasses.asdict(self)
        if not with_raw:
            data.pop("raw")
        if self.posted_at:
            data["posted_at"] = self.posted_at.isoformat()
        return data

    def to_json(self, with_raw=False):
        return json.dumps(self.to_dict(with_raw=with_raw), ensure_ascii=False, sort_keys=True)


@dataclasses.dataclass(frozen=True)
class Page:
    """One fetched page of mentions and the cursor to persist once stored.

    ``cursor`` must only be saved after every mention of the page is stored:
    then a crash between two pages re-fetches at most one page, and the unique
    (platform, external id) key turns the re-fetch into a no-op.
    """

    mentions: list
    cursor: dict
    done: bool = True


@dataclasses.dataclass(frozen=True)
class ReplyTarget:
    """The stored mention a reply answers (what connectors need to address it)."""

    external_id: str
    url: str = ""
    author_handle: str = ""
    thread_id: str = ""
    parent_id: str = ""
    raw: dict = dataclasses.field(default_factory=dict, compare=False, repr=False)


# ------------------------------------------------------------- sanitising
# What a platform (or a hostile server) sends is stored as received, once made
# storable: PostgreSQL refuses NUL characters in text and in JSON, UTF-8 has no
# lone surrogates, integer columns hold 32 bits, and only http(s) links are
# links. Applied to every mention before it is stored (pull and webhooks alike).

MAX_COUNT = 2**31 - 1  # an INTEGER column
MAX_SHORT = 500  # handles, names, ids, language tags
MAX_URL = 2048
MAX_BIO = 5000
MAX_RAW_DEPTH = 64  # nesting kept in the raw payload; deeper values are dropped
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_string(value, limit=None):
    """A string PostgreSQL accepts: no NUL, no lone surrogate (a valid pair is
    joined, a lone one becomes U+FFFD), at most ``limit`` characters."""
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    if "\x00" in value:
        value = value.replace("\x00", "")
    if _SURROGATE.search(value):
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if limit is not None and len(value) > limit:
        value = value[:limit]
    return value


def http_url(value):
    """``value`` if it is an absolute http(s) URL, else ``""`` (no
    ``javascript:``, ``data:`` or ``file:`` links anywhere)."""
    value = clean_string(value, MAX_URL).strip()
    if not value:
        return ""
    try:
        parts = urllib.parse.urlsplit(value)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c in value for c in " \t\r\n<>\"'`"):
        return ""
    return value


def clamp_count(value):
    """A counter for an INTEGER column: ``None`` if unknown, else 0..2^31-1."""
    if value is None or isinstance(value, bool):
        return None
    try:
        value = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return min(max(value, 0), MAX_COUNT)


def clean_json(value, depth=0):
    """A copy of ``value`` that PostgreSQL stores as jsonb: clean strings and
    keys, no NaN or infinity, bounded nesting."""
    if depth > MAX_RAW_DEPTH:
        return None
    if isinstance(value, dict):
        return {clean_string(key): clean_json(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean_json(item, depth + 1) for item in value]
    if isinstance(value, str):
        return clean_string(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return clean_string(value)  # datetimes, decimals...


def sanitize_author(author):
    """A clean :class:`Author` of ``author`` (any object with its attributes:
    the command line and the benchmarks import this package under another name)."""
    value = functools.partial(getattr, author)
    return Author(
        handle=clean_string(value("handle", ""), MAX_SHORT),
        name=clean_string(value("name", ""), MAX_SHORT),
        external_id=clean_string(value("external_id", ""), MAX_SHORT),
        url=http_url(value("url", "")),
        followers=clamp_count(value("followers", None)),
        verified=bool(value("verified", False)),
        avatar_url=http_url(value("avatar_url", "")),
        bio=clean_string(value("bio", ""), MAX_BIO),
        website=http_url(value("website", "")),
    )


def sanitize_mention(mention):
    """A clean :class:`Mention` of ``mention`` (see above); its text and title
    keep their length (the connectors already bound them)."""
    posted_at = getattr(mention, "posted_at", None)
    kind = getattr(mention, "kind", "post")
    raw = getattr(mention, "raw", None)
    return Mention(
        platform=clean_string(mention.platform, MAX_SHORT),
        external_id=clean_string(mention.external_id, MAX_SHORT),
        text=clean_string(getattr(mention, "text", "")),
        url=http_url(getattr(mention, "url", "")),
        posted_at=posted_at if isinstance(posted_at, datetime.datetime) else None,
        author=sanitize_author(getattr(mention, "author", None) or Author()),
        title=clean_string(getattr(mention, "title", ""), MAX_SHORT),
        language=clean_string(getattr(mention, "language", ""), 35),
        thread_id=clean_string(getattr(mention, "thread_id", ""), MAX_SHORT),
        parent_id=clean_string(getattr(mention, "parent_id", ""), MAX_SHORT),
        like_count=clamp_count(getattr(mention, "like_count", None)),
        reply_count=clamp_count(getattr(mention, "reply_count", None)),
        share_count=clamp_count(getattr(mention, "share_count", None)),
        kind=kind if kind in ("post", "reply", "share") else "post",
        raw=clean_json(raw) if isinstance(raw, dict) else {},
    )
