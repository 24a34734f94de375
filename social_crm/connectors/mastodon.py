"""Mastodon (any instance): hashtag timelines, search and mentions.

``hashtag`` reads ``/api/v1/timelines/tag/:tag`` and works without a token on
most instances; ``search`` (``/api/v2/search``) and ``mentions``
(``/api/v1/notifications?types[]=mention``) need an access token with the
``read`` scope. Pages follow the ``Link: rel="next"`` header.
"""

import logging
import time
from urllib.parse import urlparse

from . import connection
from .base import BaseConnector, as_int, author, html_to_text, items_of, parse_datetime, payload_parser
from .exceptions import AuthenticationError, ConfigurationError, ConnectorError, RateLimitedError
from .replies import ReplyError

_logger = logging.getLogger(__name__)

NOTIFICATION_TYPES = {"mention", "status", "update"}  # notifications that carry a post to listen to
OAUTH_ERRORS = {"invalid_token", "invalid_grant", "invalid_client", "unauthorized_client"}


def _status_of(item):
    """The status an item of a Mastodon response carries, or None.

    A status itself; a boost's original; a conversation's ``last_status``; a
    mention, status or update notification's status. Accounts, tags,
    filters, other notifications... carry none."""
    if not isinstance(item, dict):
        return None
    if "last_status" in item and "content" not in item:  # a conversation
        item = item["last_status"]
    elif "type" in item and "account" in item and "content" not in item:  # a notification
        item = item.get("status") if str(item["type"]) in NOTIFICATION_TYPES else None
    if isinstance(item, dict) and isinstance(item.get("reblog"), dict):
        item = item["reblog"]  # a boost: keep the original post
    if not isinstance(item, dict) or not isinstance(item.get("content"), str):
        return None
    local_id = item.get("id")
    return item if isinstance(local_id, str | int) and str(local_id) else None


class MastodonConnector(BaseConnector):
    platform = "mastodon"
    label = "Mastodon"
    modes = ("hashtag", "search", "mentions")
    cursor_kind = "id"
    page_size = 40
    can_reply = True
    local_refs = True
    reply_counting = "mastodon"
    can_reply_privately = True  # a direct message (visibility "direct")
    reply_keys = ("id", "visibility")  # the status id on the instance, and who may see the answer
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
            raise ConfigurationError(
                f"Mastodon {query.mode} needs an access token (read scope)",
                code="missing_settings",
                settings=["access_token"],
            )
        if query.mode == "hashtag" and not query.hashtags:
            raise ConfigurationError("A Mastodon hashtag stream needs at least one hashtag", code="needs_hashtags")
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

    # ------------------------------------------------------------------ keys

    def status_key(self, local_id):
        """The key of a status by its id on the account's instance.

        A status is stored under its ``uri`` (the same on every instance of the
        federation), but a reply only names its parent by the instance-local
        ``in_reply_to_id``. When the parent is not in the same payload, the
        reply's ``parent_id`` is this key; the stored parent answers to it too
        (:meth:`local_ref`), for local and remote authors alike."""
        return f"{self.base_url.lower()}/api/v1/statuses/{local_id}"

    def local_ref(self, raw):
        """The key replies use for the status ``raw`` (see :meth:`status_key`)."""
        local_id = raw.get("id") if isinstance(raw, dict) else None
        return self.status_key(local_id) if isinstance(local_id, str | int) and str(local_id) else ""

    def _key(self, status):
        uri = status.get("uri")
        return uri if isinstance(uri, str) and uri else self.status_key(status["id"])

    # ---------------------------------------------------------------- parsing

    @payload_parser
    def parse(self, payload):
        """Statuses of a timeline, a search, a status, its ``/context``
        (ancestors and descendants), ``/conversations`` (each one's
        ``last_status``) and mention, status and update notifications. A boost
        gives the boosted status. Accounts, tags, filters... are no statuses."""
        payload = self.decode(payload, (dict, list))
        if isinstance(payload, dict) and isinstance(payload.get("error"), str) and "content" not in payload:
            raise self._error(payload)
        context = isinstance(payload, dict) and ("ancestors" in payload or "descendants" in payload)
        if context:
            items = items_of(payload, "ancestors", "mastodon") + items_of(payload, "descendants", "mastodon")
        elif isinstance(payload, dict):
            items = items_of(payload, "statuses", "mastodon") if "statuses" in payload else [payload]
        else:
            items = payload
        statuses = [status for status in (_status_of(item) for item in items) if status is not None]
        by_id = {str(status["id"]): status for status in statuses}
        context_root = ""
        if context:
            ancestors = [s for s in (_status_of(i) for i in items_of(payload, "ancestors")) if s is not None]
            context_root = self._key(ancestors[0]) if ancestors else ""
        return self.parse_items(statuses, lambda status: self._mention(status, by_id, context, context_root))

    def _conversation(self, status, by_id, context, context_root):
        """``(thread_id, parent_id)``: the root of the conversation and the status answered.

        Both are status URIs when the payload holds them; otherwise the key of
        the instance-local id (:meth:`status_key`). The root of a reply whose
        ancestors are not all in the payload is unknown (empty): whoever stores
        it takes the root of its stored parent."""
        parent_id = status.get("in_reply_to_id")
        if not parent_id:
            return "", ""
        parent = by_id.get(str(parent_id))
        parent_key = self._key(parent) if parent is not None else self.status_key(parent_id)
        node, seen = status, set()
        while node.get("in_reply_to_id"):
            above = str(node["in_reply_to_id"])
            if above in seen or above not in by_id:
                if not context:
                    return "", parent_key
                return context_root or self.status_key(above), parent_key
            seen.add(above)
            node = by_id[above]
        return self._key(node), parent_key

    def _mention(self, status, by_id=None, context=False, context_root=""):
        account = status.get("account") or {}
        website = next(
            (
                html_to_text(field.get("value"))
                for field in account.get("fields") or ()
                if isinstance(field, dict) and "http" in str(field.get("value") or "")
            ),
            "",
        )
        thread_id, parent_id = self._conversation(status, by_id or {}, context, context_root)
        return self.mention(
            # the status URI is global across the federation; local ids are not
            external_id=self._key(status),
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
            thread_id=thread_id,
            parent_id=parent_id,
            like_count=as_int(status.get("favourites_count")),
            reply_count=as_int(status.get("replies_count")),
            share_count=as_int(status.get("reblogs_count")),
            kind="reply" if status.get("in_reply_to_id") else "share" if status.get("quote") else "post",
            raw=status,
        )

    def _error(self, body):
        message = body.get("error_description") or body["error"]
        text = f"Mastodon answered: {message}"
        if body["error"] in OAUTH_ERRORS or "access token" in str(message).lower():
            return AuthenticationError(text)
        if "too many requests" in str(message).lower():
            return RateLimitedError(text)
        return ConnectorError(text)

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

    # scopes a listening token needs beyond a bare "read" (granular scopes, Mastodon 2.4.3+)
    READ_SCOPES = ("read:search", "read:statuses", "read:notifications")

    def probe(self):
        """With a token, ``GET /api/v1/apps/verify_credentials``: the token's
        application and, since Mastodon 4.3, its scopes. Without one,
        ``GET /api/v1/instance`` (public): hashtag streams need nothing else."""
        if not self.setting("access_token"):
            instance = self.http.get_json(f"{self.base_url}/api/v1/instance")
            return connection.report(
                self.platform,
                True,
                False,
                identity=(instance or {}).get("title") or urlparse(self.base_url).netloc,
                findings=[
                    connection.Finding(connection.SETTING, connection.READ, "access_token"),
                    connection.Finding(connection.SETTING, connection.POST, "access_token"),
                ],
            )
        app = self.http.get_json(
            f"{self.base_url}/api/v1/apps/verify_credentials",
            headers={"Authorization": f"Bearer {self.setting('access_token')}"},
        )
        identity = (app or {}).get("name") or ""
        scopes = (app or {}).get("scopes")
        if not isinstance(scopes, list):  # before Mastodon 4.3: the token works, its scopes are not told
            return connection.report(
                self.platform,
                True,
                None,
                identity=identity,
                findings=[connection.Finding(connection.NOT_CHECKED, connection.POST, "write:statuses")],
            )
        scopes = set(scopes)
        findings = []
        if "read" not in scopes:
            findings += [
                connection.Finding(connection.SCOPE, connection.READ, s) for s in self.READ_SCOPES if s not in scopes
            ]
        post = bool({"write", "write:statuses"} & scopes)
        if not post:
            findings.append(connection.Finding(connection.SCOPE, connection.POST, "write:statuses"))
        read = "read" in scopes or any(s.startswith("read:") for s in scopes)
        return connection.report(self.platform, read, post, identity=identity, findings=findings)


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
