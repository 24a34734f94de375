"""YouTube Data API v3: comment threads of a video or of a whole channel.

Needs an API key, or an OAuth access token of the channel (the account's
*Connect* button). ``comments`` reads ``commentThreads`` for one video (the
stream target) or, with no target, every thread related to the account's
channel id; keywords are passed as ``searchTerms``. Replies are posted with
``comments.insert`` and need the OAuth token (scope ``youtube.force-ssl``).
"""

from . import connection
from .base import (
    BaseConnector,
    as_int,
    author,
    error_for_status,
    html_to_text,
    items_of,
    parse_datetime,
    payload_parser,
)
from .exceptions import AuthenticationError, ConfigurationError, ConnectorError, RateLimitedError

API = "https://www.googleapis.com/youtube/v3"
QUOTA_REASONS = {"quotaExceeded", "rateLimitExceeded", "userRateLimitExceeded", "dailyLimitExceeded"}
AUTH_REASONS = {"keyInvalid", "keyExpired", "authError", "ipRefererBlocked", "accessNotConfigured"}


def _reasons(error):
    return {str(e.get("reason")) for e in _as_list(error.get("errors")) if isinstance(e, dict) and e.get("reason")}


def _as_list(value):
    return value if isinstance(value, list) else []


class YouTubeConnector(BaseConnector):
    platform = "youtube"
    label = "YouTube"
    modes = ("comments",)
    needs_terms = False
    can_reply = True
    reply_settings = ("access_token",)  # an OAuth token: API keys cannot write
    reply_limit = 10_000  # characters of a comment

    def check(self, query):
        if not (self.setting("api_key") or self.setting("access_token")):
            raise ConfigurationError(
                "YouTube: missing setting(s) api_key (or connect the account with OAuth)",
                code="missing_settings",
                settings=["api_key"],
            )
        return super().check(query)

    def _auth(self):
        """The request headers: the OAuth token when there is one, else the API
        key. Both travel as headers, never in the URL (URLs end up in messages
        and logs)."""
        if self.setting("access_token"):
            return {"Authorization": f"Bearer {self.setting('access_token')}"}
        return {"X-goog-api-key": self.setting("api_key")}

    def request_page(self, query, since, page_token):
        params = {
            "part": "snippet",
            "order": "time",
            "maxResults": self.page_size,
            "textFormat": "plainText",
        }
        headers = self._auth()
        if query.target:
            params["videoId"] = query.target
        elif self.setting("account_ref"):
            params["allThreadsRelatedToChannelId"] = self.setting("account_ref")
        else:
            raise ConfigurationError(
                "A YouTube stream needs a video id or the account's channel id",
                code="needs_target",
                target="video_or_channel",
            )
        if query.terms:
            params["searchTerms"] = query.search_string(" ")
        if page_token:
            params["pageToken"] = page_token
        payload = self.http.get_json(f"{API}/commentThreads", params=params, headers=headers)
        mentions = self.parse(payload)
        return mentions, payload.get("nextPageToken")

    def reply(self, target, text, private=False):
        """``comments.insert``: answer a comment in its thread (YouTube threads
        have one level: a reply to a reply goes to the top-level comment)."""
        self.check_reply(target, text, private)
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
        video = snippet.get("videoId")
        return self.mention(
            external_id=payload["id"],
            text=snippet.get("textOriginal") or text,
            url=f"https://www.youtube.com/watch?v={video}&lc={payload['id']}" if video else target.url,
            thread_id=target.thread_id or parent,  # the comment thread, as parse() gives it
            parent_id=parent,
            kind="reply",
            raw=payload,
        )

    @payload_parser
    def parse(self, payload):
        """Comments of ``commentThreads`` (the top-level comment and the
        replies it carries) and of ``comments`` (replies of one comment).
        Videos, channels, playlists and search results are no comments."""
        payload = self.decode(payload)
        if isinstance(payload.get("error"), dict) and "items" not in payload:
            raise self._body_error(payload["error"])
        comments = []
        for item in items_of(payload, "items", "youtube"):
            if not isinstance(item, dict):
                continue
            if item.get("kind") == "youtube#commentThread":
                snippet = item.get("snippet") if isinstance(item.get("snippet"), dict) else {}
                top = snippet.get("topLevelComment")
                if isinstance(top, dict):
                    comments.append((top, item, snippet.get("totalReplyCount")))
                replies = item.get("replies") if isinstance(item.get("replies"), dict) else {}
                comments += [(reply, item, None) for reply in _as_list(replies.get("comments"))]
            elif item.get("kind") == "youtube#comment":
                comments.append((item, None, None))
        return self.parse_items(
            [{"comment": c, "thread": t, "replies": r} for c, t, r in comments if isinstance(c, dict)],
            self._mention,
        )

    def _mention(self, item):
        comment, thread = item["comment"], item["thread"]
        snippet = comment["snippet"]
        thread_snippet = (thread or {}).get("snippet") or {}
        video = snippet.get("videoId") or thread_snippet.get("videoId") or ""
        channel = snippet.get("channelId") or thread_snippet.get("channelId") or ""
        author_channel = (snippet.get("authorChannelId") or {}).get("value", "")
        handle = snippet.get("authorDisplayName") or ""
        parent = snippet.get("parentId") or ""
        # the conversation is the comment thread: a top-level comment and its replies
        thread_id = (thread or {}).get("id") or parent or comment["id"]
        if video:
            url = f"https://www.youtube.com/watch?v={video}&lc={comment['id']}"
        elif channel:  # a comment of the channel's discussion, not of a video
            url = f"https://www.youtube.com/channel/{channel}/discussion?lc={comment['id']}"
        else:
            url = ""
        return self.mention(
            external_id=comment["id"],
            text=snippet.get("textOriginal") or html_to_text(snippet.get("textDisplay")),
            url=url,
            posted_at=parse_datetime(snippet.get("publishedAt")),
            author=author(
                handle=handle,
                name=handle.lstrip("@"),
                external_id=author_channel,
                url=snippet.get("authorChannelUrl") or "",
                avatar_url=snippet.get("authorProfileImageUrl") or "",
            ),
            thread_id=thread_id,
            parent_id=parent,
            like_count=as_int(snippet.get("likeCount")),
            reply_count=as_int(item["replies"]),
            kind="reply" if parent else "post",
            # a top-level comment keeps its thread (without the replies, stored on their own)
            raw={k: v for k, v in thread.items() if k != "replies"} if thread and not parent else comment,
        )

    def _body_error(self, error):
        """The typed error of an ``{"error": {...}}`` body read as a payload."""
        reasons = _reasons(error)
        message = f"YouTube answered: {error.get('message') or error.get('status') or 'error'}"
        if reasons:
            message += f" ({', '.join(sorted(reasons))})"
        return self._known_error(reasons, message) or error_for_status(error.get("code"), message)

    def _known_error(self, reasons, message, status=None):
        if QUOTA_REASONS & reasons:
            return RateLimitedError(message, retry_after=3600, status=status or 403)
        if AUTH_REASONS & reasons:  # a wrong or expired key comes with HTTP 400
            return AuthenticationError(message, status=status)
        return None

    def error_message(self, response):
        try:
            error = response.json().get("error") or {}
        except (ValueError, AttributeError):
            return ""
        if not isinstance(error, dict):
            return str(error)[:200]
        reasons = ", ".join(sorted(_reasons(error)))
        message = str(error.get("message") or "")
        return f"{message} ({reasons})" if reasons else message

    def platform_error(self, response):
        if response.status_code not in (400, 401, 403, 429):
            return None
        try:
            error = response.json().get("error") or {}
        except (ValueError, AttributeError):
            return None
        if not isinstance(error, dict):
            return None
        reasons = _reasons(error)
        if QUOTA_REASONS & reasons:
            return RateLimitedError(
                f"YouTube quota exhausted: {self.error_message(response)}", retry_after=3600, status=403
            )
        return self._known_error(
            reasons, f"YouTube refused the key: {self.error_message(response)}", response.status_code
        )

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
        headers = self._auth()
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
