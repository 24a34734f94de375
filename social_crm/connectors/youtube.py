"""YouTube Data API v3: comment threads of a video or of a whole channel.

Needs an API key. ``comments`` reads ``commentThreads`` for one video (the
stream target) or, with no target, every thread related to the account's
channel id; keywords are passed as ``searchTerms``.
"""

from .base import BaseConnector, as_int, author, parse_datetime
from .exceptions import ConfigurationError, RateLimitedError

API = "https://www.googleapis.com/youtube/v3"
QUOTA_REASONS = {"quotaExceeded", "rateLimitExceeded", "userRateLimitExceeded", "dailyLimitExceeded"}


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
        # the key travels as a header, never in the URL (URLs end up in messages and logs)
        payload = self.http.get_json(
            f"{API}/commentThreads", params=params, headers={"X-goog-api-key": self.setting("api_key")}
        )
        return self.parse(payload), payload.get("nextPageToken")

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
