"""Facebook Pages and Instagram professional accounts (Meta Graph API).

Both need a Page access token with ``pages_read_engagement`` (Facebook) or
``instagram_basic`` + ``instagram_manage_comments`` (Instagram).

Facebook modes: ``comments`` (comments of a post, the stream target), ``feed``
(posts on the Page) and ``mentions`` (posts the Page is tagged in).
Instagram modes: ``mentions`` (media the account is tagged in), ``hashtag``
(recent media of a hashtag) and ``comments`` (comments of one media).
"""

import re

from . import connection
from .base import BaseConnector, as_int, author, parse_datetime, payload_parser, stable_id
from .exceptions import AuthenticationError, ConfigurationError, ConnectorError, PayloadError, RateLimitedError
from .replies import ReplyError

GRAPH = "https://graph.facebook.com"
DEFAULT_VERSION = "v21.0"
RATE_LIMIT_CODES = {4, 17, 32, 613, 80001, 80002, 80004}
AUTH_CODES = {10, 102, 190, 200, 210}
COMMENT_ID = re.compile(r"[?&]comment_id=(\d+)")
REPLY_COMMENT_ID = re.compile(r"[?&]reply_comment_id=(\d+)")
MAX_GRAPH_DEPTH = 4  # {"mentioned_media": {...}} and the like: a few wrappers at most


def graph_objects(payload, depth=0):
    """The objects of a Graph response: a ``data`` list (edges), one object
    (``/{id}``), a ``?ids=`` map of objects, or one wrapping field such as
    ``mentioned_media``. Nested edges (a post's ``comments``) are not read."""
    if not isinstance(payload, dict) or depth > MAX_GRAPH_DEPTH:
        return []
    if "data" in payload and not isinstance(payload.get("id"), str | int):
        data = payload["data"]
        if isinstance(data, list):
            return data
        if data is None:
            return []
        raise PayloadError(f"Graph API: expected a list of objects in data, got {type(data).__name__}")
    if isinstance(payload.get("id"), str | int):
        return [payload]
    values = list(payload.values())
    if len(values) == 1 and isinstance(values[0], dict):
        return graph_objects(values[0], depth + 1)
    if values and all(isinstance(v, dict) and isinstance(v.get("id"), str | int) for v in values):
        return values  # ?ids=a,b,c
    return []


def _changes(payload, with_entry=False):
    """The ``entry[].changes[]`` of a webhook delivery (objects only)."""
    changes = []
    for entry in payload.get("entry") if isinstance(payload.get("entry"), list) else ():
        if isinstance(entry, dict) and isinstance(entry.get("changes"), list):
            for change in entry["changes"]:
                if isinstance(change, dict):
                    changes.append((change, entry) if with_entry else change)
    return changes


def _has_text(item, *keys):
    return any(isinstance(item.get(key), str) for key in keys)


def _is_ig_post(item):
    return _has_text(item, "caption", "text") or "media_type" in item or "permalink" in item


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
        params = dict(params, limit=self.page_size)
        if page_token:
            params["after"] = page_token
        # the token travels as a header, never in the URL (URLs end up in messages and logs)
        headers = {"Authorization": f"Bearer {self.setting('access_token')}"}
        payload = self.http.get_json(self._url(path), params=params, headers=headers)
        paging = payload.get("paging") or {}
        after = (paging.get("cursors") or {}).get("after") if paging.get("next") else None
        return payload, after

    def _account(self):
        ref = self.setting("account_ref")
        if not ref:
            raise ConfigurationError(
                f"{self.label}: the account needs its Page / user id", code="missing_settings", settings=["account_ref"]
            )
        return ref

    def error_message(self, response):
        try:
            error = response.json().get("error") or {}
        except (ValueError, AttributeError):
            return ""
        return f"{error.get('message', '')} (code {error.get('code')})" if error else ""

    def platform_error(self, response):
        try:
            body = response.json()
        except ValueError:
            return None
        error = body.get("error") if isinstance(body, dict) else None
        return self._graph_error(error, response.status_code) if isinstance(error, dict) else None

    def _graph_error(self, error, status=None, default=None):
        """The typed error of a Graph ``error`` object (``default`` when its code says nothing)."""
        code = as_int(error.get("code"))
        if code in RATE_LIMIT_CODES:
            return RateLimitedError(f"{self.label} rate limit: {error.get('message')}", retry_after=3600)
        if code in AUTH_CODES or error.get("type") == "OAuthException":
            return AuthenticationError(f"{self.label} refused the token: {error.get('message')}", status=status)
        return default

    def _objects(self, payload):
        payload = self.decode(payload)
        if isinstance(payload.get("error"), dict) and "data" not in payload and "id" not in payload:
            error = payload["error"]
            raise self._graph_error(
                error,
                default=ConnectorError(f"{self.label} answered: {error.get('message')} (code {error.get('code')})"),
            )
        return graph_objects(payload)

    # what a Graph error names as missing ("requires the 'pages_read_engagement' permission")
    PERMISSION_NAME = re.compile(r"\b(pages_[a-z_]+|instagram_[a-z_]+|business_management|read_insights)\b")
    POST_PERMISSION = ""

    def _probe_graph(self, fields, identity):
        """``GET /{account id}?fields=...``: the token reads the account or the
        error names the permission it lacks. Writing is not tried."""
        ref = self.setting("account_ref")
        if not ref:
            finding = connection.Finding(connection.SETTING, connection.READ, "account_ref")
            return connection.report(self.platform, False, None, findings=[finding])
        try:
            payload = self.http.get_json(
                self._url(ref), params={"fields": fields, "access_token": self.setting("access_token")}
            )
        except ConnectorError as err:
            if isinstance(err, RateLimitedError):
                raise
            names = list(dict.fromkeys(self.PERMISSION_NAME.findall(str(err))))
            if not names:
                raise
            findings = [connection.Finding(connection.PERMISSION, connection.READ, name) for name in names]
            return connection.report(self.platform, False, None, findings=findings, detail=str(err))
        finding = connection.Finding(connection.NOT_CHECKED, connection.POST, self.POST_PERMISSION)
        return connection.report(
            self.platform, True, None, identity=identity(payload or {}), account_ref=ref, findings=[finding]
        )

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
    reply_keys = ("item", "comment_id", "parent", "like_count")  # tell a comment from a post

    def reply_raw(self, raw):
        """Whether it is a comment: ``item``, and which of the other keys are there."""
        kept = super().reply_raw(raw)
        return {key: value if key == "item" else True for key, value in kept.items()}

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

    @payload_parser
    def parse_webhook(self, payload):
        """Page webhooks, field ``feed``: new posts and comments on the Page.

        Edits and removals are skipped (the stored mention stays as received)."""
        items = []
        for change in _changes(self.decode(payload)):
            value = change.get("value")
            if not isinstance(value, dict) or change.get("field") != "feed" or value.get("verb") != "add":
                continue
            if value.get("item") in ("comment", "post", "status") and value.get("message"):
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

    POST_PERMISSION = "pages_manage_engagement"

    def probe(self):
        return self._probe_graph("id,name", lambda page: page.get("name") or "")

    FIELDS = "id,message,created_time,from,permalink_url,like_count,comment_count,parent{id}"
    POST_FIELDS = "id,message,created_time,from,permalink_url"

    def request_page(self, query, since, page_token):
        params = {}
        if since:
            params["since"] = int(since)
        if query.mode == "comments":
            if not query.target:
                raise ConfigurationError(
                    "A Facebook comments stream needs the post id", code="needs_target", target="post"
                )
            params.update(fields=self.FIELDS, filter="stream", order="reverse_chronological")
            path = f"{query.target}/comments"
        else:
            params["fields"] = self.POST_FIELDS
            path = f"{self._account()}/{'tagged' if query.mode == 'mentions' else 'feed'}"
        payload, after = self._get(path, params, page_token)
        return self.parse(payload), after

    @payload_parser
    def parse(self, payload):
        """Posts, comments and messages with a text: of an edge (``data``),
        of one object, of an ``?ids=`` map. Pages, users, albums, insights...
        have no ``message`` and are no mentions."""
        objects = self._objects(payload)
        return self.parse_items([o for o in objects if isinstance(o, dict) and _has_text(o, "message")], self._mention)

    def _mention(self, item):
        permalink = item.get("permalink_url") or ""
        comment = COMMENT_ID.search(permalink)
        reply = REPLY_COMMENT_ID.search(permalink)
        parent = (item.get("parent") or {}).get("id", "")
        external_id = item.get("id")
        if not external_id:  # fields without "id": the permalink still identifies the comment
            number = reply or comment
            external_id = (
                number.group(1) if number else stable_id(permalink, item.get("created_time"), item.get("message"))
            )
        if reply and comment and not parent:
            # a reply: ?comment_id=<the comment answered>&reply_comment_id=<this reply>; Graph ids of
            # comments are "<object>_<comment>", the answered comment shares this one's object
            prefix, sep, _number = str(external_id).rpartition("_")
            parent = f"{prefix}{sep}{comment.group(1)}"
        return self.mention(
            external_id=external_id,
            text=item.get("message") or "",
            url=permalink,
            posted_at=parse_datetime(item.get("created_time")),
            author=self._from(item),
            parent_id=parent or "",
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

    @payload_parser
    def parse_webhook(self, payload):
        """Instagram webhooks, field ``comments``: comments on the account's media.

        ``mentions`` deliveries only carry ids and are read by the polling cron instead."""
        items = []
        for change, entry in _changes(self.decode(payload), with_entry=True):
            value = change.get("value")
            if isinstance(value, dict) and change.get("field") == "comments" and value.get("id") and value.get("text"):
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

    POST_PERMISSION = "instagram_manage_comments"

    def probe(self):
        return self._probe_graph("id,username", lambda user: f"@{user['username']}" if user.get("username") else "")

    MEDIA_FIELDS = "id,caption,timestamp,permalink,username,comments_count,like_count,media_type"
    COMMENT_FIELDS = "id,text,timestamp,username,like_count"

    def reply_raw(self, raw):
        """Only whether it is a media (answered with a comment) or a comment."""
        if not isinstance(raw, dict):
            return {}
        return {"media_type": raw.get("media_type")} if "media_type" in raw or "caption" in raw else {}

    def _reply_edge(self, target):
        raw = target.raw or {}
        is_media = "media_type" in raw or "caption" in raw
        return "comments" if is_media else "replies"  # a comment is answered with a reply

    def check(self, query):
        super().check(query)
        if query.mode == "hashtag" and not query.hashtags:
            raise ConfigurationError("An Instagram hashtag stream needs a hashtag", code="needs_hashtags")
        if query.mode == "comments" and not query.target:
            raise ConfigurationError(
                "An Instagram comments stream needs the media id", code="needs_target", target="media"
            )
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

    @payload_parser
    def parse(self, payload):
        """Media and comments: of an edge (``data``), of one object, of an
        ``?ids=`` map, of a mention lookup (``mentioned_media``,
        ``mentioned_comment``). A media without caption is kept (the account
        is tagged in it); users, hashtags and insights are no mentions."""
        payload = self.decode(payload)
        lookup = payload.get("mentioned_media") or payload.get("mentioned_comment")
        objects = [lookup] if isinstance(lookup, dict) else self._objects(payload)
        return self.parse_items([o for o in objects if isinstance(o, dict) and _is_ig_post(o)], self._mention)

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
