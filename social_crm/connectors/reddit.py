"""Reddit: site-wide search, a subreddit's new comments, and username mentions.

Without credentials the connector reads the public JSON listings of
``www.reddit.com``. With an OAuth App (client id and secret) it asks for an
application-only token and reads ``oauth.reddit.com``; an access token of a
user (``identity privatemessages read`` scopes) also unlocks ``mentions``
(``/message/mentions``).
"""

from .base import BaseConnector, as_int, author, parse_datetime
from .exceptions import ConfigurationError, ConnectorError

PUBLIC = "https://www.reddit.com"
OAUTH = "https://oauth.reddit.com"
TOKEN_URL = "https://www.reddit.com/api/v1/access_token"
SKIPPED_AUTHORS = {"[deleted]", "[removed]"}


class RedditConnector(BaseConnector):
    platform = "reddit"
    label = "Reddit"
    modes = ("search", "subreddit", "mentions")
    can_reply = True
    reply_limit = 10_000  # a comment's body: 10,000 characters

    def __init__(self, settings=None, http=None):
        super().__init__(settings, http)
        self._token = self.setting("access_token")

    def check(self, query):
        super().check(query)
        if query.mode == "subreddit" and not query.target:
            raise ConfigurationError("A Reddit subreddit stream needs the subreddit name")
        if query.mode == "mentions" and not self.setting("access_token"):
            raise ConfigurationError("Reddit mentions need a user access token")
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

    def parse(self, payload):
        payload = self.decode(payload)
        listings = payload if isinstance(payload, list) else [payload]
        things = []
        for listing in listings:
            for child in ((listing or {}).get("data") or {}).get("children") or ():
                if child.get("kind") in ("t1", "t3") and isinstance(child.get("data"), dict):
                    things.append(dict(child["data"], _kind=child["kind"]))
        mentions = self.parse_items(things, self._mention)
        return mentions

    def _mention(self, thing):
        if thing.get("author") in SKIPPED_AUTHORS or thing.get("body") in SKIPPED_AUTHORS:
            return None  # deleted or removed: nothing to listen to
        is_comment = thing["_kind"] == "t1"
        permalink = thing.get("permalink") or thing.get("context") or ""
        if not permalink and is_comment and thing.get("link_id"):
            permalink = f"/comments/{thing['link_id'].removeprefix('t3_')}/_/{thing['id']}"
        handle = thing.get("author") or ""
        text = thing.get("body") if is_comment else thing.get("selftext")
        title = thing.get("link_title") if is_comment else thing.get("title")
        return self.mention(
            external_id=thing.get("name") or f"{thing['_kind']}_{thing['id']}",
            text=text or title or "",
            title=title or "",
            url=f"https://www.reddit.com{permalink}" if permalink.startswith("/") else permalink,
            posted_at=parse_datetime(thing.get("created_utc")),
            author=author(
                handle=handle,
                name=handle,
                external_id=thing.get("author_fullname") or handle,
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
