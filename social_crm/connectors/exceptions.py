"""Errors raised by connectors.

The ingestion cron decides what to do from the *type* of the error:

* :class:`AuthenticationError` - credentials are wrong or revoked: the account
  goes to the error state until an admin fixes it;
* :class:`RateLimitedError` - the platform asked us to wait: the account is
  skipped until ``retry_after`` seconds have passed;
* :class:`TransientError` - network trouble or HTTP 5xx after retries: logged,
  the next run tries again from the same cursor;
* :class:`PayloadError` - the platform answered something we cannot parse;
* :class:`ConnectorError` - anything else (bad request, missing configuration).

Besides its (English) message, an error may carry a ``code`` and parameters
(``params``) that say what went wrong in a form the Odoo side turns into a
translated sentence; ``code`` is empty when nothing more precise than the
error's type is known. The codes and their parameters:

* ``missing_settings`` (``settings``: names of account fields), ``mode``
  (``mode``, ``modes``), ``needs_terms``, ``needs_hashtags``, ``needs_target``
  (``target``: ``post``, ``media``, ``subreddit``, ``feed_url`` or
  ``video_or_channel``), ``query_too_long`` (``length``, ``limit``): a stream
  or an account is not set up completely;
* ``blocked_address`` (``host``), ``unknown_platform`` (``platform``),
  ``no_webhooks``, ``http_status`` (the ``status``);
* sign-in (``oauth.py``): ``no_client_id``, ``no_authorization_code``,
  ``no_refresh_token``, ``sign_in_refused``, ``no_access_token``,
  ``app_not_registered`` (``instance``), ``no_session``, ``no_sign_in_flow``,
  ``instance_url`` (``value``);
* replies (:class:`.replies.ReplyError`): see there.

Messages never carry secrets: known secret names and Authorization values are
redacted (:func:`.redaction.redact`).
"""

from .redaction import redact


class ConnectorError(Exception):
    """Base class of every error a connector raises."""

    def __init__(self, message, status=None, code="", **params):
        super().__init__(redact(message))
        self.status = status
        self.code = code
        self.params = params


class ConfigurationError(ConnectorError):
    """The connector is missing a setting it needs (token, URL, query...)."""


class BlockedAddressError(ConfigurationError):
    """The URL leads to a loopback, private or link-local address (SSRF guard);
    a system administrator may allow named hosts of a private network."""


class AuthenticationError(ConnectorError):
    """HTTP 401/403 or an OAuth error: the credentials must be fixed."""


class RateLimitedError(ConnectorError):
    """HTTP 429 (or an exhausted quota): retry after ``retry_after`` seconds."""

    def __init__(self, message, retry_after=None, status=429):
        super().__init__(message, status=status)
        self.retry_after = retry_after


class TransientError(ConnectorError):
    """Network failure or HTTP 5xx that persisted through the retries."""


class PayloadError(ConnectorError):
    """The response could not be parsed into mentions."""
