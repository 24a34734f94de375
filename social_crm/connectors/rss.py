"""RSS 2.0, RSS 1.0 (RDF), Atom and JSON Feed: any feed, no credentials.

This is the connector that works out of the box: point a stream at a feed URL
(a news site, a blog, a subreddit's ``.rss``, a YouTube channel's Atom feed, a
Mastodon profile's ``.rss``...) and, optionally, keywords that an entry must
contain. Conditional GET (ETag / Last-Modified) keeps polling cheap.
"""

import json
import logging
import re
import xml.etree.ElementTree as ET

from .base import BaseConnector, author, html_to_text, parse_datetime, stable_id
from .exceptions import ConfigurationError, PayloadError
from .records import Page

_logger = logging.getLogger(__name__)

XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?encoding=[\"']([A-Za-z0-9._-]+)[\"'][^>]*\?>")
ACCEPT = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.8"
EXPAT_ENCODINGS = {"utf-8", "utf8", "utf-16", "utf16", "iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"}


def _local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(element, *names):
    for child in element:
        if _local(child.tag) in names:
            return child
    return None


def _text(element, *names):
    child = _child(element, *names)
    if child is None:
        return ""
    return "".join(child.itertext()).strip()


def _transcode(body, encoding):
    """UTF-8 bytes of a document in ``encoding``, with its declaration fixed."""
    try:
        text = body.decode(encoding, errors="replace")
    except LookupError as err:
        raise PayloadError(f"Feed declares an unknown encoding {encoding!r}") from err
    return XML_DECLARATION.sub(b"", text.encode("utf-8"), count=1)


def _guess_encoding(body):
    try:
        import charset_normalizer  # installed with requests
    except ImportError:
        return None
    best = charset_normalizer.from_bytes(body).best()
    return best.encoding if best else None


def _parse_xml(body, http_encoding=None):
    """Parse a feed document; non-UTF-8 and slightly broken feeds are rescued."""
    match = XML_DECLARATION.match(body)
    declared = match.group(1).decode().lower() if match else None
    if declared and declared not in EXPAT_ENCODINGS:
        body = _transcode(body, declared)
    try:
        return ET.fromstring(body)
    except ET.ParseError as err:
        error = err
    if not declared:
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            encoding = http_encoding or _guess_encoding(body)
            if encoding:
                _logger.info("Feed has no encoding declaration; reading it as %s", encoding)
                body = _transcode(body, encoding)
                try:
                    return ET.fromstring(body)
                except ET.ParseError as err:
                    error = err
    try:  # lxml (shipped with Odoo) can recover the entries of a broken feed
        from lxml import etree
    except ImportError:
        raise PayloadError(f"Feed is not well-formed XML: {error}") from error
    try:
        parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
        root = etree.fromstring(body, parser)
    except etree.LxmlError:
        root = None
    if root is None:
        raise PayloadError(f"Feed is not well-formed XML: {error}") from error
    _logger.warning("Feed is not well-formed XML (%s); recovered what could be read", error)
    return ET.fromstring(etree.tostring(root))


class RssConnector(BaseConnector):
    platform = "rss"
    label = "RSS / Atom feed"
    modes = ("feed",)
    needs_terms = False

    def check(self, query):
        super().check(query)
        if not query.target.startswith(("http://", "https://")):
            raise ConfigurationError("An RSS stream needs the feed URL (http:// or https://)")
        return True

    def fetch_page(self, query, cursor=None):
        cursor = dict(cursor or {})
        self._validators = {k: cursor[k] for k in ("etag", "modified") if cursor.get(k)}
        self._new_validators = {}
        page = super().fetch_page(query, cursor)
        if self._not_modified:
            return Page([], cursor, done=True)
        return Page(page.mentions, dict(page.cursor, **self._new_validators), page.done)

    def request_page(self, query, since, page_token):
        headers = {"Accept": ACCEPT}
        validators = getattr(self, "_validators", {})
        if validators.get("etag"):
            headers["If-None-Match"] = validators["etag"]
        if validators.get("modified"):
            headers["If-Modified-Since"] = validators["modified"]
        response = self.http.request("GET", query.target, headers=headers)
        self._not_modified = response.status_code == 304
        if self._not_modified:
            return [], None
        self._new_validators = {
            key: response.headers[header]
            for key, header in (("etag", "ETag"), ("modified", "Last-Modified"))
            if response.headers.get(header)
        }
        mentions = self.parse(response.content, feed_url=query.target, encoding=response.encoding)
        return [m for m in mentions if query.matches(f"{m.title}\n{m.text}")], None

    # ---------------------------------------------------------------- parsing

    def parse(self, payload, feed_url="", encoding=None):
        if isinstance(payload, str):
            payload = payload.encode("utf-8")
        if isinstance(payload, dict) or payload.lstrip()[:1] == b"{":
            return self._parse_json_feed(self.decode(payload), feed_url)
        if not payload.strip():
            raise PayloadError("Feed is empty")
        root = _parse_xml(payload, encoding if encoding and encoding.lower() != "iso-8859-1" else None)
        kind = _local(root.tag)
        if kind == "feed":
            entries = [e for e in root if _local(e.tag) == "entry"]
            return self.parse_items_xml(entries, self._atom_entry, feed_url)
        if kind in ("rss", "RDF"):
            items = [e for e in root.iter() if _local(e.tag) == "item"]
            return self.parse_items_xml(items, self._rss_item, feed_url)
        raise PayloadError(f"Not a feed: the root element is <{kind}>")

    def parse_items_xml(self, elements, parse_one, feed_url):
        mentions = []
        for element in elements:
            try:
                mention = parse_one(element, feed_url)
            except (KeyError, TypeError, ValueError) as err:
                _logger.warning("rss: skipped a malformed entry (%s)", err)
                continue
            if mention is not None:
                mentions.append(mention)
        return mentions

    def _external_id(self, feed_url, *candidates):
        for value in candidates:
            value = (value or "").strip()
            if value:
                if ":" in value:  # URLs, URNs, tag: URIs are globally unique
                    return value[:512]
                return f"{stable_id(feed_url)}:{value}"[:512]
        return None

    def _rss_item(self, item, feed_url):
        link = _text(item, "link") or item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about", "")
        guid = _text(item, "guid")
        title = html_to_text(_text(item, "title"))
        body = _text(item, "encoded") or _text(item, "description")
        external_id = self._external_id(feed_url, guid, link) or stable_id(feed_url, title, body)
        creator = _text(item, "creator") or _text(item, "author")
        return self.mention(
            external_id=external_id,
            text=html_to_text(body) or title,
            title=title,
            url=link,
            posted_at=parse_datetime(_text(item, "pubDate") or _text(item, "date")),
            author=author(handle=creator, name=creator, external_id=creator),
            raw={"feed": feed_url, "guid": guid, "link": link, "title": title},
        )

    def _atom_entry(self, entry, feed_url):
        link = ""
        for child in entry:
            if _local(child.tag) == "link" and child.get("rel", "alternate") == "alternate":
                link = child.get("href", "")
                break
        title = html_to_text(_text(entry, "title"))
        body = _text(entry, "content") or _text(entry, "summary") or _text(entry, "group")
        entry_author = _child(entry, "author")
        name = _text(entry_author, "name") if entry_author is not None else ""
        uri = _text(entry_author, "uri") if entry_author is not None else ""
        external_id = self._external_id(feed_url, _text(entry, "id"), link) or stable_id(feed_url, title)
        return self.mention(
            external_id=external_id,
            text=html_to_text(body) or title,
            title=title,
            url=link,
            posted_at=parse_datetime(_text(entry, "published") or _text(entry, "updated")),
            author=author(handle=name, name=name, external_id=uri or name, url=uri),
            raw={"feed": feed_url, "id": _text(entry, "id"), "link": link, "title": title},
        )

    def _parse_json_feed(self, feed, feed_url):
        if not isinstance(feed, dict) or "items" not in feed:
            raise PayloadError("JSON document is not a JSON Feed (no items)")
        feed_authors = feed.get("authors") or ([feed["author"]] if feed.get("author") else [])

        def parse_one(item):
            authors = item.get("authors") or ([item["author"]] if item.get("author") else feed_authors)
            first = authors[0] if authors else {}
            body = item.get("content_text") or html_to_text(item.get("content_html")) or item.get("summary")
            title = item.get("title") or ""
            return self.mention(
                external_id=self._external_id(feed_url, str(item.get("id") or ""), item.get("url")),
                text=body or title,
                title=title,
                url=item.get("url") or "",
                posted_at=parse_datetime(item.get("date_published") or item.get("date_modified")),
                author=author(
                    handle=first.get("name"),
                    name=first.get("name"),
                    external_id=first.get("url") or first.get("name") or "",
                    url=first.get("url") or "",
                ),
                raw=json.loads(json.dumps(item)),
            )

        return self.parse_items(feed["items"], parse_one)
