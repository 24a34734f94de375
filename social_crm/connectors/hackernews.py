"""Hacker News through the Algolia search API (no credentials).

``search`` calls ``/api/v1/search_by_date`` for stories and comments matching
the terms, newer than the cursor (``numericFilters=created_at_i>…``).
"""

import logging

from . import connection
from .base import BaseConnector, as_int, author, html_to_text, items_of, parse_datetime, payload_parser, walk

_logger = logging.getLogger(__name__)

API = "https://hn.algolia.com/api/v1"


def _children(node):
    children = node.get("children") if isinstance(node, dict) else None
    if children is None:
        return ()
    if not isinstance(children, list):
        _logger.warning("hackernews: skipped the children of item %s (not a list)", node.get("id"))
        return ()
    return children


class HackerNewsConnector(BaseConnector):
    platform = "hackernews"
    label = "Hacker News"
    modes = ("search",)

    def request_page(self, query, since, page_token):
        params = {
            "query": query.search_string(" "),
            "tags": "(story,comment)",
            "hitsPerPage": self.page_size,
            "page": int(page_token or 0),
        }
        if since:
            params["numericFilters"] = f"created_at_i>{int(since)}"
        payload = self.http.get_json(f"{API}/search_by_date", params=params)
        mentions = self.parse(payload)
        page, pages = as_int(payload.get("page")) or 0, as_int(payload.get("nbPages")) or 0
        next_page = str(page + 1) if page + 1 < pages else None
        return mentions, next_page

    @payload_parser
    def parse(self, payload):
        """Hits of a search, or every item of an ``/items/:id`` tree (the story
        and its comments, walked to the end)."""
        payload = self.decode(payload)
        if "hits" in payload:
            return self.parse_items(payload["hits"], self._hit)
        items_of(payload, "children", "hackernews")  # the story's comments: a list, or the payload is unreadable
        return self.parse_items(list(walk([payload], _children)), self._item)

    def _hit(self, hit):
        text = hit.get("comment_text") or hit.get("story_text") or ""
        return self._build(
            item_id=hit["objectID"],
            text=html_to_text(text) or hit.get("title") or "",
            title=hit.get("title") or hit.get("story_title") or "",
            created=hit.get("created_at_i") or hit.get("created_at"),
            handle=hit.get("author"),
            thread=hit.get("story_id"),
            parent=hit.get("parent_id"),
            points=hit.get("points"),
            comments=hit.get("num_comments"),
            raw={k: v for k, v in hit.items() if k != "_highlightResult"},
        )

    def _item(self, item):
        if not item.get("author") and not item.get("text") and not item.get("title"):
            return None  # deleted item
        return self._build(
            item_id=item["id"],
            text=html_to_text(item.get("text")) or item.get("title") or "",
            title=item.get("title") or "",
            created=item.get("created_at_i") or item.get("created_at"),
            handle=item.get("author"),
            thread=item.get("story_id"),
            parent=item.get("parent_id"),
            points=item.get("points"),
            comments=None,
            raw={k: v for k, v in item.items() if k != "children"},
        )

    def _build(self, item_id, text, title, created, handle, thread, parent, points, comments, raw):
        handle = handle or ""
        return self.mention(
            external_id=str(item_id),
            text=text,
            title=title,
            url=f"https://news.ycombinator.com/item?id={item_id}",
            posted_at=parse_datetime(created),
            author=author(
                handle=handle,
                name=handle,
                external_id=handle,
                url=f"https://news.ycombinator.com/user?id={handle}" if handle else "",
            ),
            thread_id=str(thread or ""),
            parent_id=str(parent or ""),
            like_count=as_int(points),
            reply_count=as_int(comments),
            kind="reply" if parent and str(parent) != str(thread) else "post",
            raw=raw,
        )

    def probe(self):
        """One search of one hit: the public API answers; nothing to post with."""
        self.http.get_json(f"{API}/search_by_date", params={"query": "", "tags": "story", "hitsPerPage": 1})
        return connection.report(self.platform, True, False, findings=self._post_findings())
