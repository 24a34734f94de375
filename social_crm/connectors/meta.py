"""Facebook Pages and Instagram professional accounts (Meta Graph API).

Both need a Page access token with ``pages_read_engagement`` (Facebook) or
``instagram_basic`` + ``instagram_manage_comments`` (Instagram).

Facebook modes: ``comments`` (comments of a post, the stream target), ``feed``
(posts on the Page) and ``mentions`` (posts the Page is tagged in).
Instagram modes: ``mentions`` (media the account is tagged in), ``hashtag``
(recent media of a hashtag) and ``comments`` (comments of one media).
"""

import re

from .base import BaseConnector, as_int, author, parse_datetime, stable_id
from .exceptions import AuthenticationError, ConfigurationError, ConnectorError, RateLimitedError
from .replies import ReplyError

GRAPH = "https://graph.facebook.com"
DEFAULT_VERSION = "v21.0"
RATE_LIMIT_CODES = {4, 17, 32, 613, 80001, 80002, 80004}
AUTH_CODES = {10, 102, 190, 200, 210}
COMMENT_ID = re.compile(r"[?&]comment_id=(\d+)")
REPLY_COMMENT_ID = re.compile(r"[?&]reply_comment_id=(\d+)")


class GraphConnector(BaseConnector):
    """What Facebook and Instagram share: auth, paging and errors."""

    required_settings = ("access_token",)
    needs_terms = False
    can_reply = True

    def _reply_edge(self, target):
        return "comments"

    def reply(self, target, text, private=False):
        """Answer a post or comment through the Graph API: a comment, or with
        ``private`` a private reply in Messenger (see :meth:`_private_reply`)."""
        self.check_reply(target, text, private)
        headers = {"Authorization": f"Bearer {self.setting('access_token')}"}
        if private:
            return self._private_reply(target, text.strip(), headers)
        payload = self.http.post_json(
            self._url(f"{target.external_id}/{self._reply_edge(target)}"),
            data={"message": text.strip()},
            headers=headers,
        )
        if not payload.get("id"):
            raise ConnectorError(f"{self.label} did not return the new comment: {payload}")
        return self.mention(
            external_id=payload["id"],
            text=text.strip(),
            url=target.url,
            thread_id=target.thread_id or target.external_id,
            parent_id=target.external_id,
            raw=payload,
        )

    def _private_reply(self, target, text, headers):
        raise ReplyError("no_private", f"{self.label}: private messages are not supported")

    def _url(self, path):
        return f"{GRAPH}/{self.setting('api_version', DEFAULT_VERSION)}/{path.lstrip('/')}"

    def _get(self, path, params, page_token=None):
        params = dict(params, access_token=self.setting("access_token"), limit=self.page_size)
        if page_token:
            params["after"] = page_token
        payload = self.http.get_json(self._url(path), params=params)
        paging = payload.get("paging") or {}
        after = (paging.get("cursors") or {}).get("after") if paging.get("next") else None
        return payload, after

    def _account(self):
        ref = self.setting("account_ref")
        if not ref:
            raise ConfigurationError(f"{self.label}: the account needs its Page / user id")
        return ref

    def error_message(self, response):
        try:
            error = response.json().get("error") or {}
        except (ValueError, AttributeError):
            return ""
        return f"{error.get('message', '')} (code {error.get('code')})" if error else ""

    def platform_error(self, response):
        try:
            error = response.json().get("error") or {}
        except (ValueError, AttributeError):
            return None
        code = as_int(error.get("code"))
        if code in RATE_LIMIT_CODES:
            return RateLimitedError(f"{self.label} rate limit: {error.get('message')}", retry_after=3600)
        if code in AUTH_CODES or error.get("type") == "OAuthException":
            return AuthenticationError(
                f"{self.label} refused the token: {error.get('message')}", status=response.status_code
            )
        return None

    def _from(self, item):
        sender = item.get("from") or {}
        handle = item.get("username") or sender.get("username") or ""
        return author(
            handle=handle or sender.get("name"),
            name=sender.get("name") or handle,
            external_id=sender.get("id") or handle,
        )


class FacebookConnector(GraphConnector):
    platform = "facebook"
    label = "Facebook"
    modes = ("comments", "feed", "mentions")
    supports_webhooks = True
    # Messenger "private replies": one message to the author of a comment or
    # visitor post, within 7 days; message texts are at most 2,000 characters
    # (https://developers.facebook.com/docs/messenger-platform/discovery/private-replies/)
    can_reply_privately = True
    private_reply_limit = 2000

    def _private_reply(self, target, text, headers):
        """``POST /{page-id}/messages`` with ``recipient: {comment_id}`` (or
        ``post_id`` for a visitor post); the Page token needs
        ``pages_messaging``."""
        raw = target.raw or {}
        is_comment = bool(
            target.parent_id or raw.get("item") == "comment" or {"comment_id", "parent", "like_count"} & set(raw)
        )
        payload = self.http.post_json(
            self._url(f"{self.setting('account_ref') or 'me'}/messages"),
            json={
                "recipient": {"comment_id" if is_comment else "post_id": target.external_id},
                "message": {"text": text},
            },
            headers=headers,
        )
        if not payload.get("message_id"):
            raise ConnectorError(f"Facebook did not return the new message: {payload}")
        return self.mention(
            external_id=payload["message_id"],
            text=text,
            thread_id=target.thread_id or target.external_id,
            parent_id=target.external_id,
            raw=payload,
        )

    def parse_webhook(self, payload):
        """Page webhooks, field ``feed``: new posts and comments on the Page.

        Edits and removals are skipped (the stored mention stays as received)."""
        payload = self.decode(payload)
        items = []
        for entry in payload.get("entry") or ():
            for change in entry.get("changes") or ():
                value = change.get("value") or {}
                if change.get("field") != "feed" or value.get("verb") != "add":
                    continue
                if value.get("item") not in ("comment", "post", "status") or not value.get("message"):
                    continue
                items.append(value)
        return self.parse_items(items, self._webhook_mention)

    def _webhook_mention(self, value):
        is_comment = bool(value.get("comment_id"))
        post = value.get("post_id") or ""
        return self.mention(
            external_id=value["comment_id"] if is_comment else post,
            text=value.get("message") or "",
            url=f"https://www.facebook.com/{post}" if post else "",
            posted_at=parse_datetime(value.get("created_time")),
            author=self._from(value),
            thread_id=post,
            # a top-level comment's parent is the post; a reply's is the comment it answers
            parent_id=(value.get("parent_id") or post) if is_comment else "",
            kind="reply" if is_comment else "post",
            raw=value,
        )

    FIELDS = "id,message,created_time,from,permalink_url,like_count,comment_count,parent{id}"
    POST_FIELDS = "id,message,created_time,from,permalink_url"

    def request_page(self, query, since, page_token):
        params = {}
        if since:
            params["since"] = int(since)
        if query.mode == "comments":
            if not query.target:
                raise ConfigurationError("A Facebook comments stream needs the post id")
            params.update(fields=self.FIELDS, filter="stream", order="reverse_chronological")
            path = f"{query.target}/comments"
        else:
            params["fields"] = self.POST_FIELDS
            path = f"{self._account()}/{'tagged' if query.mode == 'mentions' else 'feed'}"
        payload, after = self._get(path, params, page_token)
        return self.parse(payload), after

    def parse(self, payload):
        payload = self.decode(payload)
        return self.parse_items(payload.get("data"), self._mention)

    def _mention(self, item):
        permalink = item.get("permalink_url") or ""
        comment = COMMENT_ID.search(permalink)
        reply = REPLY_COMMENT_ID.search(permalink)
        parent = (item.get("parent") or {}).get("id", "")
        external_id = item.get("id")
        if not external_id:  # fields without "id": the permalink still identifies the comment
            if reply:
                external_id, parent = reply.group(1), parent or (comment.group(1) if comment else "")
            elif comment:
                external_id = comment.group(1)
            else:
                external_id = stable_id(permalink, item.get("created_time"), item.get("message"))
        return self.mention(
            external_id=external_id,
            text=item.get("message") or "",
            url=permalink,
            posted_at=parse_datetime(item.get("created_time")),
            author=self._from(item),
            parent_id=parent,
            kind="reply" if parent else "post",
            like_count=as_int(item.get("like_count")),
            reply_count=as_int(item.get("comment_count")),
            raw=item,
        )


class InstagramConnector(GraphConnector):
    platform = "instagram"
    label = "Instagram"
    modes = ("mentions", "hashtag", "comments")
    supports_webhooks = True
    # "The total length of the comment cannot exceed 300 characters"
    # (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment/replies)
    reply_limit = 300

    def parse_webhook(self, payload):
        """Instagram webhooks, field ``comments``: comments on the account's media.

        ``mentions`` deliveries only carry ids and are read by the polling cron instead."""
        payload = self.decode(payload)
        items = []
        for entry in payload.get("entry") or ():
            for change in entry.get("changes") or ():
                value = change.get("value") or {}
                if change.get("field") == "comments" and value.get("id") and value.get("text"):
                    items.append(dict(value, timestamp=value.get("timestamp") or entry.get("time")))
        return self.parse_items(items, self._webhook_mention)

    def _webhook_mention(self, value):
        sender = value.get("from") or {}
        media = (value.get("media") or {}).get("id", "")
        return self.mention(
            external_id=value["id"],
            text=value["text"],
            posted_at=parse_datetime(value.get("timestamp")),
            author=author(
                handle=sender.get("username"),
                name=sender.get("username"),
                external_id=sender.get("id") or sender.get("username") or "",
            ),
            thread_id=media,
            parent_id=value.get("parent_id") or media,
            kind="reply",
            raw=value,
        )

    MEDIA_FIELDS = "id,caption,timestamp,permalink,username,comments_count,like_count,media_type"
    COMMENT_FIELDS = "id,text,timestamp,username,like_count"

    def _reply_edge(self, target):
        raw = target.raw or {}
        is_media = "media_type" in raw or "caption" in raw
        return "comments" if is_media else "replies"  # a comment is answered with a reply

    def check(self, query):
        super().check(query)
        if query.mode == "hashtag" and not query.hashtags:
            raise ConfigurationError("An Instagram hashtag stream needs a hashtag")
        if query.mode == "comments" and not query.target:
            raise ConfigurationError("An Instagram comments stream needs the media id")
        return True

    def request_page(self, query, since, page_token):
        if query.mode == "comments":
            payload, after = self._get(f"{query.target}/comments", {"fields": self.COMMENT_FIELDS}, page_token)
        elif query.mode == "hashtag":
            user_id = self._account()
            found, _after = self._get("ig_hashtag_search", {"user_id": user_id, "q": query.hashtags[0]})
            if not found.get("data"):
                return [], None
            payload, after = self._get(
                f"{found['data'][0]['id']}/recent_media",
                {"user_id": user_id, "fields": self.MEDIA_FIELDS},
                page_token,
            )
        else:
            payload, after = self._get(f"{self._account()}/tags", {"fields": self.MEDIA_FIELDS}, page_token)
        return self.parse(payload), after

    def parse(self, payload):
        payload = self.decode(payload)
        if "mentioned_media" in payload:
            items = [payload["mentioned_media"]]
        elif "mentioned_comment" in payload:
            items = [payload["mentioned_comment"]]
        else:
            items = payload.get("data") or []
        return self.parse_items(items, self._mention)

    def _mention(self, item):
        return self.mention(
            external_id=item["id"],
            text=item.get("caption") or item.get("text") or "",
            url=item.get("permalink") or "",
            posted_at=parse_datetime(item.get("timestamp")),
            author=self._from(item),
            like_count=as_int(item.get("like_count")),
            reply_count=as_int(item.get("comments_count")),
            raw=item,
        )
