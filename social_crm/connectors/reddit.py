"""Reddit: site-wide search, a subreddit's new comments, and username mentions.

Without credentials the connector reads the public JSON listings of
``www.reddit.com``. With an OAuth App (client id and secret) it asks for an
application-only token and reads ``oauth.reddit.com``; an access token of a
user (``identity privatemessages read`` scopes) also unlocks ``mentions``
(``/message/mentions``).
"""

from . import connection
from .base import BaseConnector, as_int, author, error_for_status, items_of, parse_datetime, payload_parser, walk
from .exceptions import AuthenticationError, ConfigurationError, ConnectorError, PayloadError, RateLimitedError

PUBLIC = "https://www.reddit.com"
OAUTH = "https://oauth.reddit.com"
TOKEN_URL = "https://www.reddit.com/api/v1/access_token"
REMOVED = {"[deleted]", "[removed]"}


def _is_post(node):
    return (
        isinstance(node, dict)
        and node.get("kind") in ("t1", "t3")
        and isinstance(node.get("data"), dict)
        and isinstance(node["data"].get("id"), str)
        and node["data"]["id"]
    )


def _children(node):
    """Children of a node of a Reddit response: the items of a list or
    Listing, a ``morechildren`` answer's things, a comment's replies."""
    if isinstance(node, list):
        return node
    if not isinstance(node, dict):
        return ()
    if isinstance(node.get("json"), dict):  # morechildren, api/comment
        data = node["json"].get("data")
        things = data.get("things") if isinstance(data, dict) else None
        return things if isinstance(things, list) else ()
    data = node.get("data")
    if not isinstance(data, dict):
        return ()
    if node.get("kind") == "Listing" or "kind" not in node:
        children = data.get("children")
        return children if isinstance(children, list) else ()
    if node.get("kind") == "t1" and isinstance(data.get("replies"), dict):
        return [data["replies"]]
    return ()


class RedditConnector(BaseConnector):
    platform = "reddit"
    label = "Reddit"
    modes = ("search", "subreddit", "mentions")
    can_reply = True
    reply_limit = 10_000  # a comment's body: 10,000 characters

    def __init__(self, settings=None, http=None):
        super().__init__(settings, http)
        self._token = self.setting("access_token")

    def use_token(self, tokens):
        result = super().use_token(tokens)
        self._token = tokens.access_token
        return result

    def check(self, query):
        super().check(query)
        if query.mode == "subreddit" and not query.target:
            raise ConfigurationError(
                "A Reddit subreddit stream needs the subreddit name", code="needs_target", target="subreddit"
            )
        if query.mode == "mentions" and not self.setting("access_token"):
            raise ConfigurationError(
                "Reddit mentions need a user access token", code="missing_settings", settings=["access_token"]
            )
        return True

    def _headers(self):
        if not self._token and self.setting("client_id") and self.setting("client_secret"):
            token = self.http.post_json(
                TOKEN_URL,
                data={"grant_type": "client_credentials"},
                auth=(self.setting("client_id"), self.setting("client_secret")),
            )
            self._token = token.get("access_token")
        return {"Authorization": f"bearer {self._token}"} if self._token else {}

    def request_page(self, query, since, page_token):
        headers = self._headers()
        base = OAUTH if headers else PUBLIC
        suffix = "" if headers else ".json"
        params = {"limit": self.page_size, "raw_json": 1}
        if page_token:
            params["after"] = page_token
        if query.mode == "mentions":
            path = "/message/mentions"
        elif query.mode == "subreddit":
            path = f"/r/{query.target.removeprefix('r/').strip('/')}/comments"
        else:
            path = "/search"
            params.update({"q": query.search_string(), "sort": "new", "type": "link"})
        payload = self.http.get_json(f"{base}{path}{suffix}", params=params, headers=headers)
        after = (payload.get("data") or {}).get("after") if isinstance(payload, dict) else None
        return self.parse(payload), after

    @payload_parser
    def parse(self, payload):
        """Posts (``t3``) and comments (``t1``) of any listing: search, new,
        inbox mentions, ``/api/info``, a post with its whole comment tree
        (``replies`` walked to the end) and ``morechildren`` answers
        (``json.data.things``). Subreddits, accounts, messages and "more"
        stubs are no posts. A comment of a deleted account keeps its text."""
        payload = self.decode(payload, (dict, list))
        if isinstance(payload, list) and not all(isinstance(listing, dict) for listing in payload):
            raise PayloadError("reddit: expected a list of listings")
        if isinstance(payload, dict):
            error = self._error(payload)
            if error is not None:
                raise error
        for listing in payload if isinstance(payload, list) else [payload]:
            data = listing.get("data") if isinstance(listing, dict) and listing.get("kind") == "Listing" else None
            if isinstance(data, dict):
                items_of(data, "children", "reddit")  # a listing whose children are no list is unreadable
        things = [dict(node["data"], _kind=node["kind"]) for node in walk([payload], _children) if _is_post(node)]
        return self.parse_items(things, self._mention)

    def _error(self, body):
        """The error of a body such as ``{"message": "Forbidden", "error": 403}``
        or ``{"json": {"errors": [["RATELIMIT", ...]]}}``, or None."""
        if "error" in body and not ({"kind", "data", "json"} & set(body)):
            message = body.get("message") or body.get("error_description") or body["error"]
            return error_for_status(body["error"], f"Reddit answered: {message}")
        errors = (body.get("json") or {}).get("errors") if isinstance(body.get("json"), dict) else None
        if errors and not ((body["json"].get("data") or {}).get("things")):
            text = f"Reddit answered: {errors}"[:500]
            if any(isinstance(e, list) and e and e[0] == "RATELIMIT" for e in errors):
                return RateLimitedError(text)
            return ConnectorError(text)
        return None

    def _mention(self, thing):
        is_comment = thing["_kind"] == "t1"
        text = thing.get("body") if is_comment else thing.get("selftext")
        title = thing.get("link_title") if is_comment else thing.get("title")
        if isinstance(text, str) and text in REMOVED:
            if is_comment or not title:
                return None  # the text is gone: nothing to listen to
            text = ""
        permalink = thing.get("permalink") or thing.get("context") or ""
        if not permalink and is_comment and thing.get("link_id"):
            permalink = f"/comments/{thing['link_id'].removeprefix('t3_')}/_/{thing['id']}"
        handle = thing.get("author") or ""
        if isinstance(handle, str) and handle in REMOVED:
            handle = ""  # a deleted account: the words stay, the author is unknown
        return self.mention(
            external_id=thing.get("name") or f"{thing['_kind']}_{thing['id']}",
            text=text or title or "",
            title=title or "",
            url=f"https://www.reddit.com{permalink}" if permalink.startswith("/") else permalink,
            posted_at=parse_datetime(thing.get("created_utc")),
            author=author(
                handle=handle,
                name=handle,
                external_id=(thing.get("author_fullname") or handle) if handle else "",
                url=f"https://www.reddit.com/user/{handle}" if handle else "",
            ),
            thread_id=thing.get("link_id") or thing.get("name") or "",
            parent_id=thing.get("parent_id") or "",
            like_count=as_int(thing.get("score")),
            reply_count=as_int(thing.get("num_comments")),
            kind="reply" if is_comment else "post",
            raw={k: v for k, v in thing.items() if k != "replies"},
        )

    def reply(self, target, text, private=False):
        """``POST /api/comment`` (a user token with the ``submit`` scope)."""
        self.check_reply(target, text, private)
        payload = self.http.post_json(
            f"{OAUTH}/api/comment",
            data={"thing_id": target.external_id, "text": text.strip(), "api_type": "json"},
            headers={"Authorization": f"bearer {self.setting('access_token')}"},
        )
        result = (payload or {}).get("json") or {}
        if result.get("errors"):
            raise ConnectorError(f"Reddit refused the reply: {result['errors']}")
        things = (result.get("data") or {}).get("things") or []
        mentions = self.parse({"data": {"children": things}})
        if not mentions:
            raise ConnectorError("Reddit did not return the new comment")
        return mentions[0]

    def probe(self):
        """A user's token: ``GET /api/v1/me`` (scope ``identity``). Client id and
        secret: the application-only token request. Nothing: no call, the
        public listings are read anonymously (with a low rate limit)."""
        if self.setting("access_token"):
            try:
                me = self.http.get_json(
                    f"{OAUTH}/api/v1/me",
                    params={"raw_json": 1},
                    headers={"Authorization": f"bearer {self.setting('access_token')}"},
                )
            except AuthenticationError as err:
                if err.status != 403:
                    raise
                # a valid token without the "identity" scope: what it can do is not told
                finding = connection.Finding(connection.NOT_CHECKED, "", "read, privatemessages, submit")
                return connection.report(self.platform, None, None, findings=[finding], detail=str(err))
            name = (me or {}).get("name") or ""
            finding = connection.Finding(connection.NOT_CHECKED, connection.POST, "submit")
            return connection.report(
                self.platform, True, None, identity=f"u/{name}" if name else "", findings=[finding]
            )
        user_token = [
            connection.Finding(connection.USER_TOKEN, connection.READ),
            connection.Finding(connection.USER_TOKEN, connection.POST),
        ]
        if self.setting("client_id") and self.setting("client_secret"):
            self._token = None
            self._headers()  # the application-only token
            return connection.report(self.platform, bool(self._token), False, findings=user_token)
        findings = [connection.Finding(connection.SETTING, connection.READ, "client_id"), user_token[1]]
        return connection.report(self.platform, True, False, findings=findings)
