"""Plain values that cross the boundary between connectors and Odoo.

Every connector turns its platform's payload into :class:`Mention` objects;
nothing outside ``connectors/`` ever sees a raw platform payload except as the
``raw`` attribute, which is stored for audit and re-processing.
"""

import dataclasses
import datetime
import json


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
