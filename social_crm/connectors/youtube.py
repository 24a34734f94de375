"""YouTube Data API v3: comment threads of a video or of a whole channel.

Needs an API key. ``comments`` reads ``commentThreads`` for one video (the
stream target) or, with no target, every thread related to the account's
channel id; keywords are passed as ``searchTerms``.
"""

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
from .exceptions import AuthenticationError, ConfigurationError, RateLimitedError

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
    required_settings = ("api_key",)
    needs_terms = False

    def request_page(self, query, since, page_token):
        params = {
            "part": "snippet",
            "order": "time",
            "maxResults": self.page_size,
            "textFormat": "plainText",
            "key": self.setting("api_key"),
        }
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
        payload = self.http.get_json(f"{API}/commentThreads", params=params)
        mentions = self.parse(payload)
        return mentions, payload.get("nextPageToken")

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
