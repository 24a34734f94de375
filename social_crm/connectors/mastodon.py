"""Mastodon (any instance): hashtag timelines, search and mentions.

``hashtag`` reads ``/api/v1/timelines/tag/:tag`` and works without a token on
most instances; ``search`` (``/api/v2/search``) and ``mentions``
(``/api/v1/notifications?types[]=mention``) need an access token with the
``read`` scope. Pages follow the ``Link: rel="next"`` header.
"""

from urllib.parse import urlparse

from . import connection
from .base import BaseConnector, as_int, author, html_to_text, parse_datetime
from .exceptions import ConfigurationError


class MastodonConnector(BaseConnector):
    platform = "mastodon"
    label = "Mastodon"
    modes = ("hashtag", "search", "mentions")
    cursor_kind = "id"
    page_size = 40
    can_reply = True

    @property
    def base_url(self):
        url = (self.setting("base_url") or "https://mastodon.social").rstrip("/")
        if not url.startswith(("https://", "http://")):
            url = f"https://{url}"
        return url

    def check(self, query):
        super().check(query)
        if query.mode in ("search", "mentions") and not self.setting("access_token"):
            raise ConfigurationError(f"Mastodon {query.mode} needs an access token (read scope)")
        if query.mode == "hashtag" and not query.hashtags:
            raise ConfigurationError("A Mastodon hashtag stream needs at least one hashtag")
        return True

    def request_page(self, query, since, page_token):
        headers = {}
        if self.setting("access_token"):
            headers["Authorization"] = f"Bearer {self.setting('access_token')}"
        if page_token:
            if urlparse(page_token).netloc != urlparse(self.base_url).netloc:
                raise ConfigurationError("Mastodon paging link points to another host")
            response = self.http.request("GET", page_token, headers=headers)
        elif query.mode == "hashtag":
            tags = list(query.hashtags)
            params = [("limit", self.page_size)] + [("any[]", tag) for tag in tags[1:]]
            if since:
                params.append(("since_id", str(since)))
            response = self.http.request(
                "GET", f"{self.base_url}/api/v1/timelines/tag/{tags[0]}", params=params, headers=headers
            )
        elif query.mode == "mentions":
            params = [("types[]", "mention"), ("limit", self.page_size)]
            response = self.http.request("GET", f"{self.base_url}/api/v1/notifications", params=params, headers=headers)
        else:
            params = {"q": query.search_string(" "), "type": "statuses", "limit": self.page_size}
            if since:
                params["min_id"] = str(since)
            response = self.http.request("GET", f"{self.base_url}/api/v2/search", params=params, headers=headers)
        payload = self.http.decode_json(response)
        next_link = (response.links.get("next") or {}).get("url")
        return self.parse(payload), next_link

    def position(self, mention):
        return as_int(mention.raw.get("id")) if mention.raw else None

    def parse(self, payload):
        payload = self.decode(payload)
        if isinstance(payload, dict):
            if "statuses" in payload:  # v2 search
                items = payload["statuses"]
            elif "content" in payload and "account" in payload:  # one status
                items = [payload]
            else:
                items = []
        else:
            items = payload
        statuses = []
        for item in items or ():
            if isinstance(item, dict) and "type" in item and "status" in item:  # notification
                if item.get("type") != "mention" or not item.get("status"):
                    continue
                item = item["status"]
            if isinstance(item, dict) and item.get("reblog"):
                item = item["reblog"]  # a boost: keep the original post
            statuses.append(item)
        return self.parse_items(statuses, self._mention)

    def _mention(self, status):
        account = status.get("account") or {}
        website = next(
            (
                html_to_text(field.get("value"))
                for field in account.get("fields") or ()
                if "http" in (field.get("value") or "")
            ),
            "",
        )
        return self.mention(
            # the status URI is global across the federation; local ids are not
            external_id=status.get("uri") or status["id"],
            text=html_to_text(status.get("content")),
            title=status.get("spoiler_text") or "",
            url=status.get("url") or status.get("uri") or "",
            posted_at=parse_datetime(status.get("created_at")),
            author=author(
                handle=account.get("acct") or account.get("username"),
                name=account.get("display_name"),
                external_id=account.get("url") or account.get("id") or "",
                url=account.get("url") or "",
                followers=account.get("followers_count"),
                avatar_url=account.get("avatar") or "",
                bio=html_to_text(account.get("note")),
                website=website,
            ),
            language=status.get("language") or "",
            thread_id=status.get("in_reply_to_id") or "",
            parent_id=status.get("in_reply_to_id") or "",
            like_count=as_int(status.get("favourites_count")),
            reply_count=as_int(status.get("replies_count")),
            share_count=as_int(status.get("reblogs_count")),
            kind="reply" if status.get("in_reply_to_id") else "share" if status.get("quote") else "post",
            raw=status,
        )

    def reply(self, target, text):
        """``POST /api/v1/statuses`` in reply to the status (token with write:statuses)."""
        self.check_reply(text)
        local_id = (target.raw or {}).get("id")
        if not local_id:
            raise ConfigurationError("This Mastodon mention has no status id on the account's instance")
        handle = target.author_handle
        status = text if not handle or f"@{handle}" in text else f"@{handle} {text}"
        payload = self.http.post_json(
            f"{self.base_url}/api/v1/statuses",
            data={"status": status, "in_reply_to_id": local_id, "visibility": "public"},
            headers={"Authorization": f"Bearer {self.setting('access_token')}"},
        )
        return self._mention(payload)

    # scopes a listening token needs beyond a bare "read" (granular scopes, Mastodon 2.4.3+)
    READ_SCOPES = ("read:search", "read:statuses", "read:notifications")

    def probe(self):
        """With a token, ``GET /api/v1/apps/verify_credentials``: the token's
        application and, since Mastodon 4.3, its scopes. Without one,
        ``GET /api/v1/instance`` (public): hashtag streams need nothing else."""
        if not self.setting("access_token"):
            instance = self.http.get_json(f"{self.base_url}/api/v1/instance")
            return connection.report(
                self.platform,
                True,
                False,
                identity=(instance or {}).get("title") or urlparse(self.base_url).netloc,
                findings=[
                    connection.Finding(connection.SETTING, connection.READ, "access_token"),
                    connection.Finding(connection.SETTING, connection.POST, "access_token"),
                ],
            )
        app = self.http.get_json(
            f"{self.base_url}/api/v1/apps/verify_credentials",
            headers={"Authorization": f"Bearer {self.setting('access_token')}"},
        )
        identity = (app or {}).get("name") or ""
        scopes = (app or {}).get("scopes")
        if not isinstance(scopes, list):  # before Mastodon 4.3: the token works, its scopes are not told
            return connection.report(
                self.platform,
                True,
                None,
                identity=identity,
                findings=[connection.Finding(connection.NOT_CHECKED, connection.POST, "write:statuses")],
            )
        scopes = set(scopes)
        findings = []
        if "read" not in scopes:
            findings += [
                connection.Finding(connection.SCOPE, connection.READ, s) for s in self.READ_SCOPES if s not in scopes
            ]
        post = bool({"write", "write:statuses"} & scopes)
        if not post:
            findings.append(connection.Finding(connection.SCOPE, connection.POST, "write:statuses"))
        read = "read" in scopes or any(s.startswith("read:") for s in scopes)
        return connection.report(self.platform, read, post, identity=identity, findings=findings)
