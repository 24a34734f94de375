"""Pure-Python platform connectors. Nothing here imports Odoo.

``CONNECTORS`` maps a platform code to its connector class; the Odoo account
model and the command line (``python -m social_crm.connectors``) both go
through :func:`get_connector`.
"""

from .base import BaseConnector, Query, split_terms
from .bluesky import BlueskyConnector
from .connection import ConnectionReport, Finding
from .exceptions import (
    AuthenticationError,
    ConfigurationError,
    ConnectorError,
    PayloadError,
    RateLimitedError,
    TransientError,
)
from .hackernews import HackerNewsConnector
from .http import HttpClient
from .mastodon import MastodonConnector
from .meta import FacebookConnector, InstagramConnector
from .records import Author, Mention, Page, ReplyTarget
from .reddit import RedditConnector
from .rss import RssConnector
from .x import XConnector
from .youtube import YouTubeConnector

CONNECTORS = {
    cls.platform: cls
    for cls in (
        RssConnector,
        MastodonConnector,
        XConnector,
        BlueskyConnector,
        RedditConnector,
        HackerNewsConnector,
        YouTubeConnector,
        FacebookConnector,
        InstagramConnector,
    )
}


def get_connector(platform, settings=None, http=None):
    try:
        cls = CONNECTORS[platform]
    except KeyError:
        raise ConfigurationError(f"Unknown platform {platform!r}", code="unknown_platform", platform=platform) from None
    return cls(settings=settings, http=http)


__all__ = [
    "CONNECTORS",
    "AuthenticationError",
    "Author",
    "BaseConnector",
    "ConfigurationError",
    "ConnectionReport",
    "ConnectorError",
    "Finding",
    "HttpClient",
    "Mention",
    "Page",
    "PayloadError",
    "Query",
    "RateLimitedError",
    "ReplyTarget",
    "TransientError",
    "get_connector",
    "split_terms",
]
