"""Bluesky (AT Protocol): ``app.bsky.feed.searchPosts`` and notifications.

Search works without credentials through the public AppView. With a handle and
an app password, the connector opens a session on the PDS (``bsky.social`` by
default) and can also read ``mentions`` from ``listNotifications``. In Odoo the
account keeps the session and renews it (``connectors/oauth.py``), so that one
``createSession`` serves many pulls.
"""

import datetime

from . import connection
from .base import BaseConnector, as_int, author, items_of, parse_datetime, payload_parser, walk
from .exceptions import (
    AuthenticationError,
    ConfigurationError,
    ConnectorError,
    RateLimitedError,
    TransientError,
)
from .replies import ReplyError

PUBLIC_APPVIEW = "https://public.api.bsky.app/xrpc"
DEFAULT_PDS = "https://bsky.social/xrpc"
MENTION_REASONS = {"mention", "reply", "quote"}
POST_KEYS = {"posts", "feed", "thread", "notifications"}
AUTH_ERRORS = {"AuthenticationRequired", "ExpiredToken", "InvalidToken", "AccountTakedown", "AccountDeactivated"}
RATE_ERRORS = {"RateLimitExceeded"}
TRANSIENT_ERRORS = {"InternalServerError", "UpstreamFailure", "UpstreamTimeout", "NotEnoughResources"}
MAX_FACETS = 100


def _is_post(item):
    """A post view: an ``at://`` URI and a record with a text (profiles, likes... have none)."""
    return (
        isinstance(item, dict)
        and isinstance(item.get("uri"), str)
        and item["uri"].startswith("at://")
        and isinstance(item.get("record"), dict)
        and isinstance(item["record"].get("text"), str)
    )


def _thread_nodes(node):
    """Parent and replies of a thread view node (not-found and blocked nodes have none)."""
    parent = node.get("parent")
    replies = node.get("replies")
    nodes = [parent] if isinstance(parent, dict) else []
    return nodes + [reply for reply in replies if isinstance(reply, dict)] if isinstance(replies, list) else nodes


def _bare(url):
    url = url.lower().split("://", 1)[-1]
    return url.removeprefix("www.")


def full_links(text, facets):
    """``text`` with each shortened link ("ropensci.org/es/blog/2025...") replaced
    by the full URI of its link facet. Facet offsets count UTF-8 bytes; a facet
    whose visible text is not a short form of its URI (a custom label) is kept."""
    if not text or not isinstance(facets, list):
        return text
    data = text.encode("utf-8", errors="surrogatepass")
    spans = []
    for facet in facets[:MAX_FACETS]:
        index = facet.get("index") if isinstance(facet, dict) else None
        features = facet.get("features") if isinstance(facet, dict) else None
        if not isinstance(index, dict) or not isinstance(features, list):
            continue
        start, end = as_int(index.get("byteStart")), as_int(index.get("byteEnd"))
        uri = next(
            (
                f.get("uri")
                for f in features
                if isinstance(f, dict) and str(f.get("$type", "")).endswith("#link") and isinstance(f.get("uri"), str)
            ),
            None,
        )
        if uri and start is not None and end is not None and 0 <= start < end <= len(data):
            spans.append((start, end, uri))
    pieces, last = [], 0
    for start, end, uri in sorted(spans):
        if start < last:
            continue  # overlapping facets: the first one wins
        shown = data[start:end].decode("utf-8", errors="replace").strip()
        short = _bare(shown).rstrip(".…")
        if shown != uri and short and _bare(uri).startswith(short):
            pieces += [data[last:start], uri.encode("utf-8", errors="surrogatepass")]
            last = end
    if not pieces:
        return text
    pieces.append(data[last:])
    return b"".join(pieces).decode("utf-8", errors="surrogatepass")


class BlueskyConnector(BaseConnector):
    platform = "bluesky"
    label = "Bluesky"
    modes = ("search", "mentions")
    page_size = 100
    can_reply = True
    reply_settings = ("username", "password")
    # app.bsky.feed.post: "maxGraphemes": 300 (no private messages from the API we use)
    reply_counting = "graphemes"
    reply_limit = 300

    def __init__(self, settings=None, http=None):
        super().__init__(settings, http)
        # a session kept by the caller (the Odoo account stores it): access JWT and DID
        self._session_token = self.setting("access_token")
        self._session_did = self.setting("session_did")

    def _pds(self):
        return (self.setting("base_url") or DEFAULT_PDS).rstrip("/")

    def use_token(self, tokens):
        result = super().use_token(tokens)
        self._session_token = tokens.access_token
        self._session_did = tokens.subject or self._session_did
        return result

    def token_refused(self, response):
        # the PDS answers an expired access JWT with HTTP 400 {"error": "ExpiredToken"}
        if response.status_code == 401:
            return True
        if response.status_code != 400:
            return False
        try:
            return response.json().get("error") in ("ExpiredToken", "InvalidToken")
        except (ValueError, AttributeError):
            return False

    def _auth_headers(self):
        if not self._session_token and not (self.setting("username") and self.setting("password")):
            return {}
        if not self._session_token and self.token_refresher:
            # the account refreshes its stored session, and opens one only when it has none
            self.use_token(self.token_refresher(None))
        if not self._session_token:
            session = self.http.post_json(
                f"{self._pds()}/com.atproto.server.createSession",
                json={"identifier": self.setting("username"), "password": self.setting("password")},
            )
            self._session_token = session.get("accessJwt")
            self._session_did = session.get("did")
        return {"Authorization": f"Bearer {self._session_token}"}

    def request_page(self, query, since, page_token):
        headers = self._auth_headers()
        base = self._pds() if headers else PUBLIC_APPVIEW
        if query.mode == "mentions":
            if not headers:
                raise ConfigurationError(
                    "Bluesky mentions need a handle and an app password",
                    code="missing_settings",
                    settings=["username", "password"],
                )
            params = {"limit": self.page_size}
            if page_token:
                params["cursor"] = page_token
            payload = self.http.get_json(
                f"{base}/app.bsky.notification.listNotifications", params=params, headers=headers
            )
        else:
            params = {"q": query.search_string(" "), "sort": "latest", "limit": self.page_size}
            if since:
                params["since"] = self.since_datetime(since).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            if page_token:
                params["cursor"] = page_token
            payload = self.http.get_json(f"{base}/app.bsky.feed.searchPosts", params=params, headers=headers)
        return self.parse(payload), payload.get("cursor") if isinstance(payload, dict) else None

    def platform_error(self, response):
        """XRPC errors name themselves (``{"error": "ExpiredToken"}``, sometimes with HTTP 400)."""
        try:
            body = response.json()
        except ValueError:
            return None
        name = body.get("error") if isinstance(body, dict) else None
        if isinstance(name, str) and name in AUTH_ERRORS | RATE_ERRORS:
            return self._error(name, body.get("message"), response.status_code)
        return None

    def _error(self, name, message, status=None):
        text = f"Bluesky answered {name}" + (f": {message}" if isinstance(message, str) and message else "")
        if name in AUTH_ERRORS:
            return AuthenticationError(text, status=status)
        if name in RATE_ERRORS:
            return RateLimitedError(text, status=status or 429)
        if name in TRANSIENT_ERRORS:
            return TransientError(text, status=status)
        return ConnectorError(text, status=status)

    @payload_parser
    def parse(self, payload):
        """Posts of any ``app.bsky`` response that carries them: ``posts``
        (searchPosts, getPosts, getQuotes), ``feed[].post`` (getAuthorFeed,
        getTimeline, getFeed, getListFeed, getActorLikes), mention, reply and
        quote ``notifications``, and every post of a ``getPostThread`` tree
        (parents and nested replies). Profiles, likes, follows... are no posts."""
        payload = self.decode(payload)
        if isinstance(payload.get("error"), str) and not POST_KEYS & set(payload):
            raise self._error(payload["error"], payload.get("message"))
        items = []
        for notification in items_of(payload, "notifications", "bluesky"):
            if isinstance(notification, dict) and str(notification.get("reason")) in MENTION_REASONS:
                items.append(notification)
        items += items_of(payload, "posts", "bluesky")
        items += [entry.get("post") for entry in items_of(payload, "feed", "bluesky") if isinstance(entry, dict)]
        if isinstance(payload.get("thread"), dict):
            items += [node["post"] for node in walk([payload["thread"]], _thread_nodes) if _is_post(node.get("post"))]
        return self.parse_items([item for item in items if _is_post(item)], self._mention)

    def _mention(self, post):
        record = post["record"]
        actor = post.get("author") or {}
        handle = actor.get("handle") or ""
        rkey = post["uri"].rsplit("/", 1)[-1]
        reply = record.get("reply") or {}
        embed_type = (record.get("embed") or {}).get("$type", "")
        kind = "reply" if reply else "share" if embed_type.startswith("app.bsky.embed.record") else "post"
        return self.mention(
            external_id=post["uri"],
            text=full_links(record["text"], record.get("facets")),
            url=f"https://bsky.app/profile/{handle or actor.get('did')}/post/{rkey}",
            posted_at=parse_datetime(record.get("createdAt") or post.get("indexedAt")),
            author=author(
                handle=handle,
                name=actor.get("displayName"),
                external_id=actor.get("did") or "",
                url=f"https://bsky.app/profile/{handle}" if handle else "",
                followers=actor.get("followersCount"),
                avatar_url=actor.get("avatar") or "",
                bio=actor.get("description") or "",
            ),
            language=next((tag for tag in record.get("langs") or () if isinstance(tag, str)), ""),
            # the root of the conversation, and the post answered
            thread_id=(reply.get("root") or {}).get("uri", ""),
            parent_id=(reply.get("parent") or {}).get("uri", ""),
            like_count=as_int(post.get("likeCount")),
            reply_count=as_int(post.get("replyCount")),
            share_count=as_int(post.get("repostCount")),
            kind=kind,
            raw=post,
        )

    def reply_raw(self, raw):
        """The content id, and the root of the thread (not the post's text)."""
        if not isinstance(raw, dict) or "cid" not in raw:
            return {}
        kept = {"cid": raw["cid"]}
        root = ((raw.get("record") or {}).get("reply") or {}).get("root")
        if root:
            kept["record"] = {"reply": {"root": root}}
        return kept

    def check_reply(self, target, text, private=False):
        checked = super().check_reply(target, text, private)
        if not (target.raw or {}).get("cid"):
            raise ReplyError("missing_target", "This Bluesky mention has no content id (cid) to reply to")
        return checked

    def reply(self, target, text, private=False):
        """Create an ``app.bsky.feed.post`` record replying to the post."""
        self.check_reply(target, text, private)
        text = text.strip()
        raw = target.raw
        parent = {"uri": target.external_id, "cid": raw["cid"]}
        root = ((raw.get("record") or {}).get("reply") or {}).get("root") or parent
        headers = self._auth_headers()
        record = {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "reply": {"root": {"uri": root["uri"], "cid": root["cid"]}, "parent": parent},
        }
        payload = self.http.post_json(
            f"{self._pds()}/com.atproto.repo.createRecord",
            json={
                "repo": self._session_did or self.setting("username"),
                "collection": "app.bsky.feed.post",
                "record": record,
            },
            headers=headers,
        )
        handle = self.setting("username")
        rkey = payload["uri"].rsplit("/", 1)[-1]
        return self.mention(
            external_id=payload["uri"],
            text=text,
            url=f"https://bsky.app/profile/{handle}/post/{rkey}",
            thread_id=root["uri"],
            parent_id=target.external_id,
            raw=dict(payload, record=record),
        )

    def probe(self):
        """With a handle and an app password, ``createSession`` (what every
        authenticated call starts with); without, one public search."""
        if not (self.setting("username") and self.setting("password")):
            self.http.get_json(f"{PUBLIC_APPVIEW}/app.bsky.feed.searchPosts", params={"q": "bluesky", "limit": 1})
            findings = [connection.Finding(connection.SETTING, connection.READ, "username")]
            findings += self._post_findings()
            return connection.report(self.platform, True, False, findings=findings)
        session = self.http.post_json(
            f"{self._pds()}/com.atproto.server.createSession",
            json={"identifier": self.setting("username"), "password": self.setting("password")},
        )
        self._session_token, self._session_did = session.get("accessJwt"), session.get("did")
        handle = session.get("handle") or self.setting("username")
        return connection.report(self.platform, True, True, identity=f"@{handle}", account_ref=session.get("did"))
