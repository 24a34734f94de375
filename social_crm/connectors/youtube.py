"""YouTube Data API v3: comment threads of a video or of a whole channel.

Needs an API key, or an OAuth access token of the channel (the account's
*Connect* button). ``comments`` reads ``commentThreads`` for one video (the
stream target) or, with no target, every thread related to the account's
channel id; keywords are passed as ``searchTerms``. Replies are posted with
``comments.insert`` and need the OAuth token (scope ``youtube.force-ssl``).
"""

from . import connection
from .base import BaseConnector, as_int, author, parse_datetime
from .exceptions import ConfigurationError, ConnectorError, RateLimitedError

API = "https://www.googleapis.com/youtube/v3"
QUOTA_REASONS = {"quotaExceeded", "rateLimitExceeded", "userRateLimitExceeded", "dailyLimitExceeded"}


class YouTubeConnector(BaseConnector):
    platform = "youtube"
    label = "YouTube"
    modes = ("comments",)
    needs_terms = False
    can_reply = True
    reply_settings = ("access_token",)  # an OAuth token: API keys cannot write
    MAX_LENGTH = 10_000  # characters of a comment

    def check(self, query):
        if not (self.setting("api_key") or self.setting("access_token")):
            raise ConfigurationError("YouTube: missing setting(s) api_key (or connect the account with OAuth)")
        return super().check(query)

    def _auth(self, params):
        """The OAuth token in the header when there is one, else the API key."""
        if self.setting("access_token"):
            return {"Authorization": f"Bearer {self.setting('access_token')}"}
        params["key"] = self.setting("api_key")
        return {}

    def request_page(self, query, since, page_token):
        params = {
            "part": "snippet",
            "order": "time",
            "maxResults": self.page_size,
            "textFormat": "plainText",
        }
        headers = self._auth(params)
        if query.target:
            params["videoId"] = query.target
        elif self.setting("account_ref"):
            params["allThreadsRelatedToChannelId"] = self.setting("account_ref")
        else:
            raise ConfigurationError("A YouTube stream needs a video id or the account's channel id")
        if query.terms:
            params["searchTerms"] = query.search_string(" ")
        if page_token:
            params["pageToken"] = page_token
        payload = self.http.get_json(f"{API}/commentThreads", params=params, headers=headers)
        return self.parse(payload), payload.get("nextPageToken")

    def reply(self, target, text):
        """``comments.insert``: answer a comment in its thread (YouTube threads
        have one level: a reply to a reply goes to the top-level comment)."""
        self.check_reply(text)
        if len(text) > self.MAX_LENGTH:
            raise ConfigurationError(f"A YouTube comment has at most {self.MAX_LENGTH} characters")
        parent = target.parent_id or target.external_id
        payload = self.http.post_json(
            f"{API}/comments",
            params={"part": "snippet"},
            json={"snippet": {"parentId": parent, "textOriginal": text}},
            headers={"Authorization": f"Bearer {self.setting('access_token')}"},
        )
        if not (isinstance(payload, dict) and payload.get("id")):
            raise ConnectorError("YouTube did not return the new comment")
        snippet = payload.get("snippet") or {}
        video = snippet.get("videoId") or target.thread_id
        return self.mention(
            external_id=payload["id"],
            text=snippet.get("textOriginal") or text,
            url=f"https://www.youtube.com/watch?v={video}&lc={payload['id']}" if video else target.url,
            thread_id=video or "",
            parent_id=parent,
            kind="reply",
            raw=payload,
        )

    def parse(self, payload):
        payload = self.decode(payload)
        return self.parse_items(payload.get("items"), self._mention)

    def _mention(self, item):
        if item.get("kind") == "youtube#commentThread":
            thread = item.get("snippet") or {}
            comment = thread["topLevelComment"]
            replies = thread.get("totalReplyCount")
        else:
            comment, replies = item, None
        snippet = comment["snippet"]
        video = snippet.get("videoId") or ""
        channel = (snippet.get("authorChannelId") or {}).get("value", "")
        handle = snippet.get("authorDisplayName") or ""
        url = f"https://www.youtube.com/watch?v={video}&lc={comment['id']}" if video else ""
        return self.mention(
            external_id=comment["id"],
            text=snippet.get("textOriginal") or snippet.get("textDisplay") or "",
            url=url,
            posted_at=parse_datetime(snippet.get("publishedAt")),
            author=author(
                handle=handle,
                name=handle.lstrip("@"),
                external_id=channel,
                url=snippet.get("authorChannelUrl") or "",
                avatar_url=snippet.get("authorProfileImageUrl") or "",
            ),
            thread_id=video,
            parent_id=snippet.get("parentId") or "",
            like_count=as_int(snippet.get("likeCount")),
            reply_count=as_int(replies),
            kind="reply" if snippet.get("parentId") else "post",
            raw=item,
        )

    def error_message(self, response):
        try:
            error = response.json().get("error") or {}
        except (ValueError, AttributeError):
            return ""
        reasons = ", ".join(e.get("reason", "") for e in error.get("errors") or ())
        return f"{error.get('message', '')} ({reasons})" if reasons else error.get("message", "")

    def platform_error(self, response):
        if response.status_code not in (403, 429):
            return None
        try:
            errors = (response.json().get("error") or {}).get("errors") or ()
        except (ValueError, AttributeError):
            return None
        if any(e.get("reason") in QUOTA_REASONS for e in errors):
            return RateLimitedError(
                f"YouTube quota exhausted: {self.error_message(response)}", retry_after=3600, status=403
            )
        return None

    def probe(self):
        """``GET /channels?part=snippet`` of the account's channel (1 quota unit),
        or ``GET /i18nLanguages`` (1 unit) when no channel id is set, with the
        OAuth token when the account is connected, else the API key. Replies
        need the OAuth token."""
        findings = self._post_findings()
        if not (self.setting("api_key") or self.setting("access_token")):
            findings.insert(0, connection.Finding(connection.SETTING, "", "api_key"))
            return connection.report(self.platform, False, False, findings=findings)
        params = {"part": "snippet"}
        headers = self._auth(params)
        ref = self.setting("account_ref")
        try:
            if ref:
                payload = self.http.get_json(f"{API}/channels", params=dict(params, id=ref), headers=headers)
            else:
                payload = self.http.get_json(f"{API}/i18nLanguages", params=dict(params, hl="en"), headers=headers)
        except ConnectorError as err:
            if isinstance(err, RateLimitedError):
                raise
            message = str(err).lower()
            if "keyinvalid" in message or "api key not valid" in message:
                refused = connection.Finding(connection.REFUSED)
                return connection.report(self.platform, False, False, findings=[refused, *findings], detail=str(err))
            if err.status == 403:
                denied = connection.Finding(connection.PERMISSION, connection.READ, "YouTube Data API v3")
                return connection.report(self.platform, False, False, findings=[denied, *findings], detail=str(err))
            raise
        items = (payload or {}).get("items") or []
        if not ref:
            findings.append(connection.Finding(connection.SETTING, connection.READ, "account_ref"))
            return connection.report(self.platform, True, False, findings=findings)
        if not items:
            findings.append(connection.Finding(connection.NOT_FOUND, connection.READ, "account_ref"))
            return connection.report(self.platform, False, False, findings=findings)
        title = (items[0].get("snippet") or {}).get("title") or ""
        return connection.report(
            self.platform, True, False, identity=title, account_ref=items[0].get("id"), findings=findings
        )
