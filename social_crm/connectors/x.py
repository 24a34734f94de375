"""X (Twitter) API v2: recent search and the mentions timeline.

Needs a bearer token of an X developer App (pay-per-use access or higher).
``search`` uses ``GET /2/tweets/search/recent``; ``mentions`` uses
``GET /2/users/:id/mentions`` with the account's numeric user id.
"""

import html

from . import connection
from .base import BaseConnector, as_int, author, error_for_status, parse_datetime, payload_parser
from .exceptions import AuthenticationError, ConfigurationError, ConnectorError, PayloadError, RateLimitedError
from .replies import ReplyError

API = "https://api.twitter.com/2"
TWEET_FIELDS = "author_id,conversation_id,created_at,lang,public_metrics,referenced_tweets,in_reply_to_user_id"
USER_FIELDS = "name,username,public_metrics,verified,url,description,profile_image_url"
MAX_QUERY_LENGTH = 512
PAGE_KEYS = {"data", "includes", "meta", "errors", "matching_rules"}
AUTH_CODES = {32, 89, 99, 135, 215, 220, 326}  # v1.1 error codes of bad or revoked credentials


def _as_list(value):
    return value if isinstance(value, list) else []


def _by_id(objects):
    """Included objects (users, posts) by their id."""
    return {o["id"]: o for o in _as_list(objects) if isinstance(o, dict) and isinstance(o.get("id"), str | int)}


def _is_tweet(item):
    """A v2 post: an id and a text (a user has a ``username``; lists, spaces, counts have no text)."""
    return (
        isinstance(item, dict)
        and isinstance(item.get("id"), str | int)
        and isinstance(item.get("text"), str)
        and "username" not in item
    )


def _is_v1_status(item):
    # v1.1 statuses in the default (compatibility) mode, as in older recorded exports; extended-mode
    # ``full_text`` statuses (favourites, lookups, list timelines) are not read
    return (
        isinstance(item, dict)
        and isinstance(item.get("id_str") or item.get("id"), str | int)
        and isinstance(item.get("text"), str)
        and "screen_name" not in item
    )


def _full_text(tweet):
    """The whole text of a v2 post, entity-decoded (X sends ``&amp;``, ``&lt;``, ``&gt;``);
    a long post's full text is its ``note_tweet``."""
    note = tweet.get("note_tweet")
    text = note.get("text") if isinstance(note, dict) and isinstance(note.get("text"), str) else tweet["text"]
    return html.unescape(text)


def _v1_text(status):
    extended = status.get("extended_tweet")  # the whole text of a long status (streaming)
    if isinstance(extended, dict) and isinstance(extended.get("full_text"), str):
        return extended["full_text"]
    text = status.get("text")
    return text if isinstance(text, str) else ""


class XConnector(BaseConnector):
    platform = "x"
    label = "X (Twitter)"
    modes = ("search", "mentions")
    required_settings = ("access_token",)
    cursor_kind = "id"
    can_reply = True
    # weighted count (twitter-text v3); direct messages: 10,000 characters
    # (https://docs.x.com/x-api/direct-messages/manage/introduction)
    reply_counting = "x"
    reply_limit = 280
    can_reply_privately = True
    reply_keys = ("author_id",)  # whom a direct message goes to
    private_reply_limit = 10_000

    def build_query(self, query):
        text = query.search_string()
        text = f"({text}) -is:retweet" if text else "-is:retweet"
        if len(text) > MAX_QUERY_LENGTH:
            raise ConfigurationError(
                f"X search query is {len(text)} characters; X accepts {MAX_QUERY_LENGTH}",
                code="query_too_long",
                length=len(text),
                limit=MAX_QUERY_LENGTH,
            )
        return text

    def request_page(self, query, since, page_token):
        headers = {"Authorization": f"Bearer {self.setting('access_token')}"}
        params = {
            "max_results": self.page_size,
            "tweet.fields": TWEET_FIELDS,
            "expansions": "author_id",
            "user.fields": USER_FIELDS,
        }
        if since:
            params["since_id"] = str(since)
        if query.mode == "mentions":
            user_id = query.target or self.setting("account_ref")
            if not user_id:
                raise ConfigurationError(
                    "X mentions need the account's numeric user id", code="missing_settings", settings=["account_ref"]
                )
            url = f"{API}/users/{user_id}/mentions"
            if page_token:
                params["pagination_token"] = page_token
        else:
            url = f"{API}/tweets/search/recent"
            params["query"] = self.build_query(query)
            if page_token:
                params["next_token"] = page_token
        payload = self.http.get_json(url, params=params, headers=headers)
        mentions = self.parse(payload)
        return mentions, (payload.get("meta") or {}).get("next_token")

    @payload_parser
    def parse(self, payload):
        """Posts of an API v2 page (``data``, one post or a list), of several
        recorded pages (a list of pages), or of a v1.1 timeline (a list of
        statuses). Users, lists, spaces, counts... are no posts. A page that
        carries only ``errors[]`` (a suspended or unknown user) is an error of
        the stream, not "no mentions"."""
        payload = self.decode(payload, (dict, list))
        if isinstance(payload, dict):
            return self._page(payload)
        if any(isinstance(item, dict) and PAGE_KEYS & set(item) for item in payload):
            return [mention for page in payload if isinstance(page, dict) for mention in self._page(page)]
        return self.parse_items([t for t in payload if _is_v1_status(t)], self._v1_mention)

    def _page(self, page):
        data = page.get("data")
        if not data:
            error = self._error(page)
            if error is not None:
                raise error
        if isinstance(data, dict):  # single post lookup
            data = [data]
        elif data is not None and not isinstance(data, list):
            raise PayloadError(f"X: expected posts in data, got {type(data).__name__}")
        includes = page.get("includes") if isinstance(page.get("includes"), dict) else {}
        users = _by_id(includes.get("users"))
        tweets = _by_id(includes.get("tweets"))
        return self.parse_items(
            [t for t in data or () if _is_tweet(t)], lambda tweet: self._mention(tweet, users, tweets)
        )

    def _error(self, page):
        """The error of a body without posts: v2 ``errors[]`` or problem, v1.1 ``errors``/``error``."""
        errors = [e for e in _as_list(page.get("errors")) if isinstance(e, dict)]
        if errors:
            first = errors[0]
            detail = first.get("detail") or first.get("message") or first.get("title") or "error"
            text = f"X answered only errors: {detail}"[:500]
            if any(str(e.get("type", "")).endswith("usage-capped") or as_int(e.get("code")) == 88 for e in errors):
                return RateLimitedError(text, retry_after=3600, status=None)
            if any(as_int(e.get("code")) in AUTH_CODES for e in errors):
                return AuthenticationError(text)
            return ConnectorError(text)
        if isinstance(page.get("error"), str):  # v1.1: {"request": ..., "error": "Not authorized."}
            return ConnectorError(f"X answered: {page['error']}"[:500])
        if "type" in page and "title" in page and "status" in page:  # v2 problem details
            return error_for_status(page["status"], f"X answered: {page.get('detail') or page['title']}"[:500])
        return None

    def _mention(self, tweet, users, tweets=None):
        user = users.get(tweet.get("author_id")) or {}
        metrics = tweet.get("public_metrics") or {}
        user_metrics = user.get("public_metrics") or {}
        handle = user.get("username") or ""
        references = {
            ref.get("type"): ref.get("id") for ref in tweet.get("referenced_tweets") or () if isinstance(ref, dict)
        }
        parent = references.get("replied_to", "")
        kind = "reply" if parent else "share" if {"quoted", "retweeted"} & set(references) else "post"
        # a retweet's own text is "RT @x: " and a cut original: the original is in includes
        original = (tweets or {}).get(references.get("retweeted")) if references.get("retweeted") else None
        return self.mention(
            external_id=tweet["id"],
            text=_full_text(original if _is_tweet(original) else tweet),
            url=f"https://x.com/{handle or 'i/web'}/status/{tweet['id']}",
            posted_at=parse_datetime(tweet.get("created_at")),
            author=author(
                handle=handle,
                name=user.get("name"),
                external_id=tweet.get("author_id") or "",
                url=f"https://x.com/{handle}" if handle else "",
                followers=user_metrics.get("followers_count"),
                verified=user.get("verified"),
                avatar_url=user.get("profile_image_url") or "",
                bio=user.get("description") or "",
                website=user.get("url") or "",
            ),
            language=tweet.get("lang") or "",
            thread_id=tweet.get("conversation_id") or "",
            parent_id=parent,
            like_count=as_int(metrics.get("like_count")),
            reply_count=as_int(metrics.get("reply_count")),
            share_count=as_int(metrics.get("retweet_count")),
            kind=kind,
            raw=tweet,
        )

    def _v1_mention(self, status):
        """A v1.1 status (timelines of the older API, still in recorded exports)."""
        user = status.get("user") if isinstance(status.get("user"), dict) else {}
        handle = user.get("screen_name") or ""
        original = status.get("retweeted_status") if isinstance(status.get("retweeted_status"), dict) else None
        parent = status.get("in_reply_to_status_id_str") or ""
        kind = "reply" if parent else "share" if original or status.get("is_quote_status") else "post"
        text = _v1_text(original or status)
        external_id = status.get("id_str") or str(status["id"])
        return self.mention(
            external_id=external_id,
            text=html.unescape(text),
            url=f"https://x.com/{handle or 'i/web'}/status/{external_id}",
            posted_at=parse_datetime(status.get("created_at")),
            author=author(
                handle=handle,
                name=user.get("name"),
                external_id=user.get("id_str") or "",
                url=f"https://x.com/{handle}" if handle else "",
                followers=user.get("followers_count"),
                verified=user.get("verified"),
                avatar_url=user.get("profile_image_url_https") or "",
                bio=user.get("description") or "",
                website=user.get("url") or "",
            ),
            language=status.get("lang") or "",
            parent_id=parent,
            like_count=as_int(status.get("favorite_count")),
            share_count=as_int(status.get("retweet_count")),
            kind=kind,
            raw=status,
        )

    def platform_error(self, response):
        if response.status_code == 403:
            message = self.error_message(response) or "forbidden"
            if "usage cap" in message.lower() or "credit" in message.lower():
                return RateLimitedError(f"X usage cap reached: {message}", retry_after=3600, status=403)
            return AuthenticationError(
                f"X refused the request (HTTP 403): {message}. Check the App's access level.",
                status=403,
            )
        return None

    def reply(self, target, text, private=False):
        """``POST /2/tweets`` as a reply, or with ``private`` a direct message
        (``POST /2/dm_conversations/with/:participant_id/messages``) to the
        post's author. Needs a user-context token (``tweet.write``, and
        ``dm.write`` for messages)."""
        self.check_reply(target, text, private)
        headers = {"Authorization": f"Bearer {self.setting('access_token')}"}
        if private:
            payload = self.http.post_json(
                f"{API}/dm_conversations/with/{self._participant(target)}/messages",
                json={"text": text.strip()},
                headers=headers,
            )
            data = payload.get("data") or {}
            if not data.get("dm_event_id"):
                raise ConnectorError(f"X did not return the new message: {payload}")
            return self.mention(
                external_id=data["dm_event_id"],
                text=text.strip(),
                url=f"https://x.com/messages/{data.get('dm_conversation_id') or ''}".rstrip("/"),
                thread_id=target.thread_id or target.external_id,
                parent_id=target.external_id,
                raw=data,
            )
        payload = self.http.post_json(
            f"{API}/tweets",
            json={"text": text.strip(), "reply": {"in_reply_to_tweet_id": target.external_id}},
            headers=headers,
        )
        data = payload.get("data") or {}
        if not data.get("id"):
            raise ConnectorError(f"X did not return the new post: {payload}")
        return self.mention(
            external_id=data["id"],
            text=data.get("text") or text,
            url=f"https://x.com/i/web/status/{data['id']}",
            thread_id=target.thread_id or target.external_id,
            parent_id=target.external_id,
            raw=data,
        )

    def probe(self):
        """``GET /2/users/me``: answered for a user's token (X's free tier has it);
        an application-only bearer token is refused with "Unsupported
        Authentication", which proves the token valid and unable to post.
        Reading is sold (Basic tier or pay-per-use credits) and is not tried:
        a read costs."""
        findings = [connection.Finding(connection.TIER, connection.READ, "Basic / pay-per-use")]
        try:
            payload = self.http.get_json(
                f"{API}/users/me", headers={"Authorization": f"Bearer {self.setting('access_token')}"}
            )
        except AuthenticationError as err:
            if err.status != 403 or "application-only" not in str(err).lower():
                raise
            findings.append(connection.Finding(connection.USER_TOKEN, connection.POST))
            return connection.report(self.platform, None, False, findings=findings, detail=str(err))
        user = (payload or {}).get("data") or {}
        findings.append(connection.Finding(connection.NOT_CHECKED, connection.POST, "tweet.write"))
        return connection.report(
            self.platform,
            None,
            None,
            identity=f"@{user['username']}" if user.get("username") else "",
            account_ref=user.get("id"),
            findings=findings,
        )

    def check_reply(self, target, text, private=False):
        checked = super().check_reply(target, text, private)
        if private:
            self._participant(target)
        return checked

    @staticmethod
    def _participant(target):
        """The numeric id of the post's author, whom a direct message goes to."""
        author_id = (target.raw or {}).get("author_id")
        if not author_id or not str(author_id).isdigit():
            raise ReplyError("missing_target", "This X post was stored without its author's id: no message possible")
        return str(author_id)
