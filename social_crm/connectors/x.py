"""X (Twitter) API v2: recent search and the mentions timeline.

Needs a bearer token of an X developer App (pay-per-use access or higher).
``search`` uses ``GET /2/tweets/search/recent``; ``mentions`` uses
``GET /2/users/:id/mentions`` with the account's numeric user id.
"""

from .base import BaseConnector, as_int, author, parse_datetime
from .exceptions import AuthenticationError, ConfigurationError, ConnectorError, RateLimitedError
from .replies import ReplyError

API = "https://api.twitter.com/2"
TWEET_FIELDS = "author_id,conversation_id,created_at,lang,public_metrics,referenced_tweets,in_reply_to_user_id"
USER_FIELDS = "name,username,public_metrics,verified,url,description,profile_image_url"
MAX_QUERY_LENGTH = 512


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
    private_reply_limit = 10_000

    def build_query(self, query):
        text = query.search_string()
        text = f"({text}) -is:retweet" if text else "-is:retweet"
        if len(text) > MAX_QUERY_LENGTH:
            raise ConfigurationError(f"X search query is {len(text)} characters; X accepts {MAX_QUERY_LENGTH}")
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
                raise ConfigurationError("X mentions need the account's numeric user id")
            url = f"{API}/users/{user_id}/mentions"
            if page_token:
                params["pagination_token"] = page_token
        else:
            url = f"{API}/tweets/search/recent"
            params["query"] = self.build_query(query)
            if page_token:
                params["next_token"] = page_token
        payload = self.http.get_json(url, params=params, headers=headers)
        return self.parse(payload), (payload.get("meta") or {}).get("next_token")

    def parse(self, payload):
        payload = self.decode(payload)
        if isinstance(payload, list):  # several recorded pages (JSON lines)
            return [m for page in payload for m in self.parse(page)]
        users = {u.get("id"): u for u in (payload.get("includes") or {}).get("users", [])}
        data = payload.get("data") or []
        if isinstance(data, dict):  # single tweet lookup
            data = [data]
        return self.parse_items(data, lambda tweet: self._mention(tweet, users))

    def _mention(self, tweet, users):
        user = users.get(tweet.get("author_id")) or {}
        metrics = tweet.get("public_metrics") or {}
        user_metrics = user.get("public_metrics") or {}
        handle = user.get("username") or ""
        references = {ref.get("type"): ref.get("id") for ref in tweet.get("referenced_tweets") or ()}
        parent = references.get("replied_to", "")
        kind = "reply" if parent else "share" if {"quoted", "retweeted"} & set(references) else "post"
        return self.mention(
            external_id=tweet["id"],
            text=tweet.get("text") or "",
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
