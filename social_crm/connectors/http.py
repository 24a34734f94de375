"""The one place where connectors talk HTTP.

:class:`HttpClient` wraps a ``requests.Session`` and gives every connector the
same behaviour:

* a timeout on every call (connect, read);
* retries with exponential backoff on network errors and HTTP 5xx;
* HTTP 429 honours ``Retry-After`` (seconds or HTTP date) and the platforms'
  rate-limit headers (``x-rate-limit-*`` on X, ``x-ratelimit-*`` on Mastodon
  and Reddit, ``RateLimit-*`` on Bluesky): short waits are slept, long ones
  raise :class:`RateLimitedError` so the cron can skip the account;
* an exhausted quota announced by a *successful* response (``remaining: 0``)
  is remembered, so the next call waits or raises before hitting the wall;
* HTTP statuses become the connector exceptions of :mod:`.exceptions`.
"""

import datetime
import email.utils
import logging
import time

import requests
from dateutil import parser as date_parser

from .exceptions import (
    AuthenticationError,
    ConnectorError,
    RateLimitedError,
    TransientError,
)

_logger = logging.getLogger(__name__)

USER_AGENT = "social_crm/18.0 (Odoo social listening; +https://github.com/social-crm)"
DEFAULT_TIMEOUT = (5, 30)  # seconds: connect, read
RETRY_STATUSES = {500, 502, 503, 504}
REMAINING_HEADERS = ("x-rate-limit-remaining", "x-ratelimit-remaining", "ratelimit-remaining")
RESET_HEADERS = ("x-rate-limit-reset", "x-ratelimit-reset", "ratelimit-reset")
EPOCH_THRESHOLD = 1_000_000_000  # a reset value above this is a Unix timestamp, below it a delay


def _sleep(seconds):
    time.sleep(seconds)  # looked up at call time, so tests can patch time.sleep


def _utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def parse_reset(value, now=None):
    """Seconds to wait until a rate-limit window resets, or None.

    Accepts a delay in seconds (``Retry-After: 4``, Reddit's reset), a Unix
    timestamp (X, Bluesky), an HTTP date (``Retry-After``) or an ISO 8601
    date (Mastodon).
    """
    if value is None:
        return None
    value = str(value).strip()
    if not value:
        return None
    now = now or _utcnow()
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is not None:
        if number > EPOCH_THRESHOLD:
            return max(0.0, number - now.timestamp())
        return max(0.0, number)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        when = None
    if when is None:
        try:
            when = date_parser.isoparse(value)
        except (ValueError, OverflowError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    return max(0.0, (when - now).total_seconds())


def default_error_message(response):
    """The message of a JSON error body, in the shapes most APIs use."""
    try:
        body = response.json()
    except ValueError:
        return ""
    if isinstance(body, dict):
        for key in ("error_description", "message", "detail", "title", "error"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
            if isinstance(value, dict) and value.get("message"):
                return value["message"]
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            return errors[0].get("message") or errors[0].get("detail") or ""
    return ""


def _header(response, names):
    for name in names:
        value = response.headers.get(name)
        if value not in (None, ""):
            return value
    return None


class HttpClient:
    """HTTP with timeouts, retries, backoff and rate-limit awareness."""

    def __init__(
        self,
        session=None,
        timeout=DEFAULT_TIMEOUT,
        max_retries=3,
        backoff=1.0,
        max_wait=30.0,
        sleep=_sleep,
        now=_utcnow,
        error_message=None,
        on_error=None,
    ):
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", USER_AGENT)
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.sleep = sleep
        self.now = now
        self.error_message = error_message or default_error_message
        self.on_error = on_error  # platform hook: response -> exception to raise, or None
        # token hooks (wired by the connector when the account has a refreshable token):
        # before_request(kwargs) may swap an expiring token in the request; on_unauthorized(response,
        # kwargs) returns True when it put a new token in the request, which is then sent once more
        self.before_request = None
        self.on_unauthorized = None
        self.blocked_until = None  # set when the platform says the quota is used up
        self.calls = 0
        self.last_remaining = None

    # ------------------------------------------------------------------ public

    def get_json(self, url, **kwargs):
        return self.decode_json(self.request("GET", url, **kwargs))

    def post_json(self, url, **kwargs):
        return self.decode_json(self.request("POST", url, **kwargs))

    @staticmethod
    def decode_json(response):
        try:
            return response.json()
        except ValueError as err:
            raise ConnectorError(
                f"{response.url} answered HTTP {response.status_code} with a body "
                f"that is not JSON ({response.headers.get('Content-Type', 'no content type')})",
                status=response.status_code,
            ) from err

    def request(self, method, url, **kwargs):
        """Send a request and return the successful ``requests.Response``."""
        kwargs.setdefault("timeout", self.timeout)
        self._wait_for_quota(url)
        if self.before_request:
            self.before_request(kwargs)
        attempt = 0
        reauthorized = False
        while True:
            attempt += 1
            self.calls += 1
            try:
                response = self.session.request(method, url, **kwargs)
            except (requests.ConnectionError, requests.Timeout) as err:
                if attempt > self.max_retries:
                    raise TransientError(f"{method} {url} failed after {attempt} attempts: {err}") from err
                self._backoff(attempt, f"{type(err).__name__} on {url}")
                continue
            self._remember_quota(response)
            status = response.status_code
            if status < 400:
                return response
            if self.on_unauthorized and not reauthorized and self.on_unauthorized(response, kwargs):
                reauthorized = True  # refreshed once: a second refusal is final
                continue
            if self.on_error:
                platform_error = self.on_error(response)
                if platform_error is not None:
                    raise platform_error
            if status == 429:
                wait = self._retry_after(response)
                if attempt <= self.max_retries and wait is not None and wait <= self.max_wait:
                    _logger.info("HTTP 429 from %s: waiting %.1fs as asked", url, wait)
                    self.sleep(wait)
                    continue
                raise RateLimitedError(
                    f"Rate limited by {url} (HTTP 429); retry after {wait if wait is not None else 'unknown'}s",
                    retry_after=wait,
                )
            if status in RETRY_STATUSES:
                if attempt > self.max_retries:
                    raise TransientError(
                        f"{method} {url} answered HTTP {status} after {attempt} attempts{self._detail(response)}",
                        status=status,
                    )
                self._backoff(attempt, f"HTTP {status} on {url}")
                continue
            detail = self._detail(response)
            if status in (401, 403):
                raise AuthenticationError(f"{url} refused the credentials (HTTP {status}){detail}", status=status)
            raise ConnectorError(f"{method} {url} answered HTTP {status}{detail}", status=status)

    # ----------------------------------------------------------------- helpers

    def _detail(self, response):
        try:
            message = self.error_message(response)
        except Exception:  # a broken error body must not hide the HTTP status
            _logger.debug("Could not read the error body of %s", response.url, exc_info=True)
            message = ""
        return f": {message}" if message else ""

    def _backoff(self, attempt, reason):
        delay = self.backoff * (2 ** (attempt - 1))
        _logger.info("%s; retry %d/%d in %.1fs", reason, attempt, self.max_retries, delay)
        self.sleep(delay)

    def _retry_after(self, response):
        now = self.now()
        wait = parse_reset(response.headers.get("Retry-After"), now)
        if wait is None:
            wait = parse_reset(_header(response, RESET_HEADERS), now)
        return wait

    def _remember_quota(self, response):
        remaining = _header(response, REMAINING_HEADERS)
        if remaining is None:
            return
        try:
            self.last_remaining = float(remaining)
        except ValueError:
            return
        if self.last_remaining <= 0 and response.status_code < 400:
            wait = parse_reset(_header(response, RESET_HEADERS), self.now())
            if wait:
                self.blocked_until = self.now() + datetime.timedelta(seconds=wait)

    def _wait_for_quota(self, url):
        if not self.blocked_until:
            return
        wait = (self.blocked_until - self.now()).total_seconds()
        self.blocked_until = None
        if wait <= 0:
            return
        if wait > self.max_wait:
            raise RateLimitedError(f"Quota of {url} is used up; it resets in {wait:.0f}s", retry_after=wait)
        _logger.info("Quota used up: waiting %.1fs before calling %s", wait, url)
        self.sleep(wait)
