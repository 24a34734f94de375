"""RSS 2.0, RSS 1.0 (RDF), Atom and JSON Feed: any feed, no credentials.

This is the connector that works out of the box: point a stream at a feed URL
(a news site, a blog, a subreddit's ``.rss``, a YouTube channel's Atom feed, a
Mastodon profile's ``.rss``...) and, optionally, keywords that an entry must
contain. Conditional GET (ETag / Last-Modified) keeps polling cheap.

What an entry gets from its feed: the language (``<language>``, ``xml:lang``,
JSON Feed ``language``), the base of its relative links (``xml:base``, the
feed's link, the feed URL) and, in Atom, the feed's author. Dates are read in
English and in the day and month names of French, German, Spanish, Portuguese
and Italian; an entry whose date cannot be read is dated from the feed (or the
time of reading) minus its position in seconds, so the feed's order is kept.
"""

import codecs
import dataclasses
import datetime
import logging
import re
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

from .base import BaseConnector, author, html_to_text, parse_datetime, payload_parser, stable_id
from .exceptions import ConfigurationError, PayloadError
from .records import Page

_logger = logging.getLogger(__name__)

# bounded: the declaration is at the very start, and a hostile one must not cost quadratic time
XML_DECLARATION = re.compile(
    rb"<\?xml\s[^<>]{0,200}?encoding\s*=\s*[\"']\s*([A-Za-z0-9._-]{1,40})\s*[\"'][^<>]{0,200}\?>"
)
DECLARATION_WINDOW = 512
BOM = b"\xef\xbb\xbf"
ACCEPT = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.8"
EXPAT_ENCODINGS = {"utf-8", "utf8", "utf-16", "utf16", "iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"}
XML_NS = "{http://www.w3.org/XML/1998/namespace}"
RDF_ABOUT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,4}$")
XML_ERRORS = (ET.ParseError, ValueError, LookupError, TypeError)


def _local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(element, *names):
    for child in element:
        if _local(child.tag) in names:
            return child
    return None


def _text(element, *names):
    child = _child(element, *names) if element is not None else None
    if child is None:
        return ""
    return "".join(t for t in child.itertext() if isinstance(t, str)).strip()


def _language(*candidates):
    """The first candidate that is a language tag ("en", "pt-BR"), normalised; or ""."""
    for value in candidates:
        value = (value or "").strip().replace("_", "-") if isinstance(value, str) else ""
        if LANGUAGE_TAG.match(value):
            return value
    return ""


def _join(base, link):
    """``link`` resolved against ``base`` (absolute links are kept)."""
    link = (link or "").strip()
    if not link or not base:
        return link
    try:
        return urljoin(base, link)
    except ValueError:  # a malformed base or link (e.g. a bad IPv6 literal)
        return link


def _declared_encoding(body):
    """``(encoding, end of the declaration)`` of an XML document, or ``(None, 0)``."""
    head = body[:DECLARATION_WINDOW]
    start = len(BOM) if head.startswith(BOM) else 0
    start += len(head[start:]) - len(head[start:].lstrip())
    match = XML_DECLARATION.match(head, start)
    if not match:
        return None, 0
    return match.group(1).decode("ascii").lower(), match.end()


def _transcode(body, encoding, declaration_end=0):
    """UTF-8 bytes of a document in ``encoding``, without its declaration."""
    try:
        if not getattr(codecs.lookup(encoding), "_is_text_encoding", True):
            raise LookupError(encoding)  # base64, zlib...: not a character encoding
        text = body[declaration_end:].decode(encoding, errors="replace")
    except (LookupError, UnicodeError, TypeError, ValueError) as err:
        raise PayloadError(f"Feed declares an encoding it cannot be read in ({encoding[:40]!r})") from err
    return text.encode("utf-8", errors="replace")


def _guess_encoding(body):
    try:
        import charset_normalizer  # installed with requests
    except ImportError:
        return None
    best = charset_normalizer.from_bytes(body[:200_000]).best()
    return best.encoding if best else None


def _fromstring(body):
    try:
        return ET.fromstring(body), None
    except XML_ERRORS as err:
        return None, err


def _parse_xml(body, http_encoding=None):
    """Parse a feed document; non-UTF-8 and slightly broken feeds are rescued."""
    declared, declaration_end = _declared_encoding(body)
    if declared and declared not in EXPAT_ENCODINGS:
        body = _transcode(body, declared, declaration_end)
    root, error = _fromstring(body)
    if root is not None:
        return root
    if not declared:
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            encoding = http_encoding or _guess_encoding(body)
            if encoding:
                _logger.info("Feed has no encoding declaration; reading it as %s", encoding)
                body = _transcode(body, encoding, _declared_encoding(body)[1])
                root, error = _fromstring(body)
                if root is not None:
                    return root
    return _recover(body, error)


def _recover(body, error):
    """What lxml (shipped with Odoo) can read of a broken feed."""
    try:
        from lxml import etree
    except ImportError:
        raise PayloadError(f"Feed is not well-formed XML: {error}") from error
    try:
        parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(body, parser)
    except (etree.LxmlError, ValueError, TypeError):
        root = None
    if root is None:
        raise PayloadError(f"Feed is not well-formed XML: {error}") from error
    _logger.warning("Feed is not well-formed XML (%s); recovered what could be read", error)
    tree, _error = _fromstring(etree.tostring(root))
    return tree if tree is not None else root  # lxml elements answer the same calls


class RssConnector(BaseConnector):
    platform = "rss"
    label = "RSS / Atom feed"
    modes = ("feed",)
    needs_terms = False

    def check(self, query):
        super().check(query)
        if not query.target.startswith(("http://", "https://")):
            raise ConfigurationError(
                "An RSS stream needs the feed URL (http:// or https://)", code="needs_target", target="feed_url"
            )
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

    @payload_parser
    def parse(self, payload, feed_url="", encoding=None):
        if isinstance(payload, str):
            payload = payload.encode("utf-8", errors="replace")
        if isinstance(payload, dict | list) or (isinstance(payload, bytes) and payload.lstrip()[:1] in (b"{", b"[")):
            return self._parse_json_feed(self.decode(payload), feed_url)
        if not isinstance(payload, bytes | bytearray):
            raise PayloadError(f"Feed is not a document ({type(payload).__name__})")
        if not payload.strip():
            raise PayloadError("Feed is empty")
        root = _parse_xml(bytes(payload), encoding if encoding and encoding.lower() != "iso-8859-1" else None)
        kind = _local(root.tag)
        if kind in ("feed", "entry"):  # a feed, or an Atom entry document (RFC 4287, section 4.1.2)
            return self._atom(root, feed_url)
        if kind.lower() in ("rss", "rdf"):
            return self._rss(root, feed_url)
        raise PayloadError(f"Not a feed: the root element is <{kind[:40]}>")

    def _rss(self, root, feed_url):
        channel = _child(root, "channel")
        channel = channel if channel is not None else root
        feed = {
            "url": feed_url,
            "base": _join(feed_url, _text(channel, "link")) or feed_url,
            "language": _language(_text(channel, "language"), channel.get(XML_NS + "lang"), root.get(XML_NS + "lang")),
            "author": _text(channel, "creator", "author"),
            "date": _text(channel, "lastBuildDate", "pubDate", "date"),
        }
        items = [e for e in root.iter() if _local(e.tag) == "item"]
        return self._dated(self.parse_items_xml(items, self._rss_item, feed), feed)

    def _atom(self, root, feed_url):
        base = _join(feed_url, root.get(XML_NS + "base")) or feed_url
        feed_author = _child(root, "author")
        feed = {
            "url": feed_url,
            "base": base if root.get(XML_NS + "base") else (_join(feed_url, _alternate(root)) or feed_url),
            "language": _language(root.get(XML_NS + "lang")),
            "author": (_text(feed_author, "name"), _text(feed_author, "uri")),
            "date": _text(root, "updated"),
        }
        entries = [e for e in root if _local(e.tag) == "entry"] if _local(root.tag) == "feed" else [root]
        return self._dated(self.parse_items_xml(entries, self._atom_entry, feed), feed)

    def _dated(self, mentions, feed):
        """Entries without a readable date get the feed's date (or now) minus their position."""
        if all(m.posted_at for m in mentions):
            return mentions
        reference = parse_datetime(feed.get("date")) or self.http.now()
        return [
            m if m.posted_at else dataclasses.replace(m, posted_at=reference - datetime.timedelta(seconds=position))
            for position, m in enumerate(mentions)
        ]

    def parse_items_xml(self, elements, parse_one, feed):
        mentions, seen = [], set()
        for element in elements:
            try:
                mention = parse_one(element, feed)
            except Exception as err:  # one entry: logged and skipped, the feed goes on
                _logger.warning("rss: skipped a malformed entry (%s: %s)", type(err).__name__, err)
                continue
            if mention is not None and mention.external_id not in seen:
                seen.add(mention.external_id)
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

    def _rss_item(self, item, feed):
        link = _join(feed["base"], _text(item, "link") or item.get(RDF_ABOUT, ""))
        guid = _text(item, "guid")
        title = html_to_text(_text(item, "title"))
        body = _text(item, "encoded") or _text(item, "description")
        external_id = self._external_id(feed["url"], guid, link) or stable_id(feed["url"], title, body)
        creator = _text(item, "creator") or _text(item, "author") or feed["author"]
        return self.mention(
            external_id=external_id,
            text=html_to_text(body) or title,
            title=title,
            url=link,
            posted_at=parse_datetime(_text(item, "pubDate") or _text(item, "date")),
            author=author(handle=creator, name=creator, external_id=creator),
            language=_language(_text(item, "language"), item.get(XML_NS + "lang"), feed["language"]),
            raw={"feed": feed["url"], "guid": guid, "link": link, "title": title},
        )

    def _atom_entry(self, entry, feed):
        base = _join(feed["base"], entry.get(XML_NS + "base")) if entry.get(XML_NS + "base") else feed["base"]
        link = _join(base, _alternate(entry))
        title = html_to_text(_text(entry, "title"))
        content = _child(entry, "content")
        if content is None:
            content = _child(entry, "summary")
        body = _text(entry, "content") or _text(entry, "summary") or _text(entry, "group")
        entry_author = _child(entry, "author")
        name = _text(entry_author, "name") or feed["author"][0]
        uri = _text(entry_author, "uri") if entry_author is not None else feed["author"][1]
        external_id = self._external_id(feed["url"], _text(entry, "id"), link) or stable_id(feed["url"], title)
        language = _language(
            content.get(XML_NS + "lang") if content is not None else "", entry.get(XML_NS + "lang"), feed["language"]
        )
        return self.mention(
            external_id=external_id,
            text=html_to_text(body) or title,
            title=title,
            url=link,
            posted_at=parse_datetime(_text(entry, "published") or _text(entry, "updated")),
            author=author(handle=name, name=name, external_id=uri or name, url=uri),
            language=language,
            raw={"feed": feed["url"], "id": _text(entry, "id"), "link": link, "title": title},
        )

    def _parse_json_feed(self, document, feed_url):
        if not isinstance(document, dict) or "items" not in document:
            raise PayloadError("JSON document is not a JSON Feed (no items)")
        feed_authors = _authors(document, [])
        feed = {
            "url": feed_url,
            "base": _join(
                feed_url, document.get("home_page_url") if isinstance(document.get("home_page_url"), str) else ""
            )
            or feed_url,
            "language": _language(document.get("language")),
        }

        def parse_one(item):
            authors = _authors(item, feed_authors)
            first = authors[0] if authors else {}
            body = item.get("content_text") or html_to_text(item.get("content_html")) or item.get("summary")
            title = item.get("title") or ""
            url = _join(feed["base"], _string(item.get("url")))
            return self.mention(
                external_id=self._external_id(feed_url, str(item.get("id") or ""), url),
                text=body or title,
                title=title,
                url=url,
                posted_at=parse_datetime(item.get("date_published") or item.get("date_modified")),
                author=author(
                    handle=first.get("name"),
                    name=first.get("name"),
                    external_id=first.get("url") or first.get("name") or "",
                    url=first.get("url") or "",
                ),
                language=_language(item.get("language"), feed["language"]),
                raw=item,
            )

        return self._dated(self.parse_items(document["items"], parse_one), {})


def _string(value):
    return value if isinstance(value, str) else ""


def _alternate(element):
    """The ``href`` of an element's alternate link (Atom)."""
    for child in element:
        if _local(child.tag) == "link" and child.get("rel", "alternate") == "alternate":
            return child.get("href", "")
    return ""


def _authors(item, default):
    """JSON Feed 1.1 ``authors`` or 1.0 ``author``, as dicts with a string name."""
    authors = item.get("authors") if isinstance(item.get("authors"), list) else None
    if authors is None:
        authors = [item["author"]] if isinstance(item.get("author"), dict) else default
    return [a for a in authors if isinstance(a, dict) and isinstance(a.get("name", ""), str)]
