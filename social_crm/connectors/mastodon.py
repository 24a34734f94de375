"""Mastodon (any instance): hashtag timelines, search and mentions.

``hashtag`` reads ``/api/v1/timelines/tag/:tag`` and works without a token on
most instances; ``search`` (``/api/v2/search``) and ``mentions``
(``/api/v1/notifications?types[]=mention``) need an access token with the
``read`` scope. Pages follow the ``Link: rel="next"`` header.
"""

import logging
import time
from urllib.parse import urlparse

from .base import BaseConnector, as_int, author, html_to_text, parse_datetime
from .exceptions import ConfigurationError, ConnectorError
from .replies import ReplyError

_logger = logging.getLogger(__name__)


class MastodonConnector(BaseConnector):
    platform = "mastodon"
    label = "Mastodon"
    modes = ("hashtag", "search", "mentions")
    cursor_kind = "id"
    page_size = 40
    can_reply = True
    reply_counting = "mastodon"
    can_reply_privately = True  # a direct message (visibility "direct")
    private_reply_counting = "mastodon"

    @property
    def base_url(self):
        url = (self.setting("base_url") or "https://mastodon.social").rstrip("/")
        if not url.startswith(("https://", "http://")):
            url = f"https://{url}"
        return url

    def check(self, query):
        super().check(query)
        if query.mode in ("search", "mentions") and not self.setting("access_token"):
            raise ConfigurationError(f"Mastodon {query.mode} needs an access token (read scope)")
        if query.mode == "hashtag" and not query.hashtags:
            raise ConfigurationError("A Mastodon hashtag stream needs at least one hashtag")
        return True

    def request_page(self, query, since, page_token):
        headers = {}
        if self.setting("access_token"):
            headers["Authorization"] = f"Bearer {self.setting('access_token')}"
        if page_token:
            if urlparse(page_token).netloc != urlparse(self.base_url).netloc:
                raise ConfigurationError("Mastodon paging link points to another host")
            response = self.http.request("GET", page_token, headers=headers)
        elif query.mode == "hashtag":
            tags = list(query.hashtags)
            params = [("limit", self.page_size)] + [("any[]", tag) for tag in tags[1:]]
            if since:
                params.append(("since_id", str(since)))
            response = self.http.request(
                "GET", f"{self.base_url}/api/v1/timelines/tag/{tags[0]}", params=params, headers=headers
            )
        elif query.mode == "mentions":
            params = [("types[]", "mention"), ("limit", self.page_size)]
            response = self.http.request("GET", f"{self.base_url}/api/v1/notifications", params=params, headers=headers)
        else:
            params = {"q": query.search_string(" "), "type": "statuses", "limit": self.page_size}
            if since:
                params["min_id"] = str(since)
            response = self.http.request("GET", f"{self.base_url}/api/v2/search", params=params, headers=headers)
        payload = self.http.decode_json(response)
        next_link = (response.links.get("next") or {}).get("url")
        return self.parse(payload), next_link

    def position(self, mention):
        return as_int(mention.raw.get("id")) if mention.raw else None

    def parse(self, payload):
        payload = self.decode(payload)
        if isinstance(payload, dict):
            if "statuses" in payload:  # v2 search
                items = payload["statuses"]
            elif "content" in payload and "account" in payload:  # one status
                items = [payload]
            else:
                items = []
        else:
            items = payload
        statuses = []
        for item in items or ():
            if isinstance(item, dict) and "type" in item and "status" in item:  # notification
                if item.get("type") != "mention" or not item.get("status"):
                    continue
                item = item["status"]
            if isinstance(item, dict) and item.get("reblog"):
                item = item["reblog"]  # a boost: keep the original post
            statuses.append(item)
        return self.parse_items(statuses, self._mention)

    def _mention(self, status):
        account = status.get("account") or {}
        website = next(
            (
                html_to_text(field.get("value"))
                for field in account.get("fields") or ()
                if "http" in (field.get("value") or "")
            ),
            "",
        )
        return self.mention(
            # the status URI is global across the federation; local ids are not
            external_id=status.get("uri") or status["id"],
            text=html_to_text(status.get("content")),
            title=status.get("spoiler_text") or "",
            url=status.get("url") or status.get("uri") or "",
            posted_at=parse_datetime(status.get("created_at")),
            author=author(
                handle=account.get("acct") or account.get("username"),
                name=account.get("display_name"),
                external_id=account.get("url") or account.get("id") or "",
                url=account.get("url") or "",
                followers=account.get("followers_count"),
                avatar_url=account.get("avatar") or "",
                bio=html_to_text(account.get("note")),
                website=website,
            ),
            language=status.get("language") or "",
            thread_id=status.get("in_reply_to_id") or "",
            parent_id=status.get("in_reply_to_id") or "",
            like_count=as_int(status.get("favourites_count")),
            reply_count=as_int(status.get("replies_count")),
            share_count=as_int(status.get("reblogs_count")),
            kind="reply" if status.get("in_reply_to_id") else "share" if status.get("quote") else "post",
            raw=status,
        )

    def max_reply_length(self, private=False):
        """The instance's limit (``GET /api/v2/instance``), asked once per hour."""
        return instance_limit(self)

    def reply_text(self, target, text, private=False):
        # the author is addressed, as Mastodon clients do; a direct message
        # reaches only the accounts it mentions
        handle = target.author_handle
        text = text.strip()
        return text if not handle or f"@{handle}" in text else f"@{handle} {text}"

    def reply_visibility(self, target, private=False):
        """A reply keeps the visibility of what it answers (as Mastodon's own
        clients do): a direct message is answered by a direct message, a
        followers-only or unlisted post is not answered in public."""
        visibility = (target.raw or {}).get("visibility")
        if private or visibility == "direct":
            return "direct"
        return visibility if visibility in ("private", "unlisted") else "public"

    def check_reply(self, target, text, private=False):
        checked = super().check_reply(target, text, private)
        if not (target.raw or {}).get("id"):
            raise ReplyError("missing_target", "This Mastodon mention has no status id on the account's instance")
        return checked

    def reply(self, target, text, private=False):
        """``POST /api/v1/statuses`` in reply to the status (token with write:statuses)."""
        self.check_reply(target, text, private)
        payload = self.http.post_json(
            f"{self.base_url}/api/v1/statuses",
            data={
                "status": self.reply_text(target, text, private),
                "in_reply_to_id": target.raw["id"],
                "visibility": self.reply_visibility(target, private),
            },
            headers={"Authorization": f"Bearer {self.setting('access_token')}"},
        )
        return self._mention(payload)


DEFAULT_MAX_CHARACTERS = 500  # Mastodon's default; instances may allow more
LIMIT_TTL = 3600  # seconds an instance's limit is remembered
_limits = {}  # base URL -> (limit, time asked)


def instance_limit(connector, now=time.monotonic):
    """``configuration.statuses.max_characters`` of the instance (Mastodon 4:
    https://docs.joinmastodon.org/entities/Instance/#statuses), or
    ``max_toot_chars`` (Pleroma, glitch-soc); 500 when the instance does not
    say or cannot be reached (never blocks a reply: the instance checks again)."""
    base = connector.base_url
    cached = _limits.get(base)
    if cached and now() - cached[1] < LIMIT_TTL:
        return cached[0]
    limit = DEFAULT_MAX_CHARACTERS
    retries, connector.http.max_retries = connector.http.max_retries, 0
    try:
        payload = connector.http.get_json(f"{base}/api/v2/instance", timeout=5)
        statuses = ((payload or {}).get("configuration") or {}).get("statuses") or {}
        value = as_int(statuses.get("max_characters")) or as_int((payload or {}).get("max_toot_chars"))
        if value and value > 0:
            limit = value
    except (ConnectorError, AttributeError, TypeError) as err:
        _logger.info("Mastodon %s: no post limit from the instance (%s); using %d", base, err, limit)
    finally:
        connector.http.max_retries = retries
    _limits[base] = (limit, now())
    return limit
