"""Bluesky (AT Protocol): ``app.bsky.feed.searchPosts`` and notifications.

Search works without credentials through the public AppView. With a handle and
an app password, the connector opens a session on the PDS (``bsky.social`` by
default) and can also read ``mentions`` from ``listNotifications``.
"""

import datetime

from .base import BaseConnector, as_int, author, parse_datetime
from .exceptions import ConfigurationError
from .replies import ReplyError

PUBLIC_APPVIEW = "https://public.api.bsky.app/xrpc"
DEFAULT_PDS = "https://bsky.social/xrpc"
MENTION_REASONS = {"mention", "reply", "quote"}


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
        self._session_token = None
        self._session_did = None

    def _pds(self):
        return (self.setting("base_url") or DEFAULT_PDS).rstrip("/")

    def _auth_headers(self):
        if not (self.setting("username") and self.setting("password")):
            return {}
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
                raise ConfigurationError("Bluesky mentions need a handle and an app password")
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
        return self.parse(payload), payload.get("cursor")

    def parse(self, payload):
        payload = self.decode(payload)
        if "notifications" in payload:
            items = [n for n in payload["notifications"] if n.get("reason") in MENTION_REASONS]
        elif "posts" in payload:
            items = payload["posts"]
        elif "thread" in payload:
            items = [payload["thread"].get("post")]
        else:
            items = []
        return self.parse_items(items, self._mention)

    def _mention(self, post):
        record = post.get("record") or {}
        actor = post.get("author") or {}
        handle = actor.get("handle") or ""
        rkey = post["uri"].rsplit("/", 1)[-1]
        reply = record.get("reply") or {}
        embed_type = (record.get("embed") or {}).get("$type", "")
        kind = "reply" if reply else "share" if embed_type.startswith("app.bsky.embed.record") else "post"
        return self.mention(
            external_id=post["uri"],
            text=record.get("text") or "",
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
            language=(record.get("langs") or [""])[0],
            thread_id=(reply.get("root") or {}).get("uri", ""),
            parent_id=(reply.get("parent") or {}).get("uri", ""),
            like_count=as_int(post.get("likeCount")),
            reply_count=as_int(post.get("replyCount")),
            share_count=as_int(post.get("repostCount")),
            kind=kind,
            raw=post,
        )

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
