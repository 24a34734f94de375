"""The one place where connectors talk HTTP.

:class:`HttpClient` wraps a ``requests.Session`` and gives every connector the
same behaviour:

* a timeout on every call (connect, read) and an overall deadline per request
  (redirects and retries included): a server that sends one byte every few
  seconds is cut off at the deadline;
* a cap on the size of every body, counted after decompression (a gzip bomb
  stops at the cap, never expands in memory);
* no connection to loopback, private, link-local or otherwise non-public
  addresses, checked on the address actually connected to, on every hop of a
  redirect (SSRF guard; ``allowed_hosts`` opens named hosts of a private
  network, e.g. a self-hosted Mastodon instance);
* redirects followed by the client itself (at most :data:`MAX_REDIRECTS`):
  credentials (``Authorization``, API key headers, basic auth) are never sent
  to another origin;
* retries with exponential backoff on connection errors and HTTP 5xx; a read
  timeout is not retried (a slow server stays slow);
* HTTP 429 honours ``Retry-After`` (seconds or HTTP date) and the platforms'
  rate-limit headers (``x-rate-limit-*`` on X, ``x-ratelimit-*`` on Mastodon
  and Reddit, ``RateLimit-*`` on Bluesky): short waits are slept, long ones
  raise :class:`RateLimitedError` so the cron can skip the account; every wait
  is clamped to :data:`MAX_WAIT` (a day);
* an exhausted quota announced by a *successful* response (``remaining: 0``)
  is remembered, so the next call waits or raises before hitting the wall;
* HTTP statuses become the connector exceptions of :mod:`.exceptions`, whose
  messages name the URL without its query string and never a secret.
"""

import contextlib
import datetime
import email.utils
import ipaddress
import logging
import math
import socket
import threading
import time
import zlib
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
import urllib3
from dateutil import parser as date_parser
from requests.adapters import HTTPAdapter
from requests.utils import select_proxy
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from .exceptions import (
    AuthenticationError,
    BlockedAddressError,
    ConnectorError,
    PayloadError,
    RateLimitedError,
    TransientError,
)
from .redaction import redact

_logger = logging.getLogger(__name__)

USER_AGENT = "social_crm/18.0 (Odoo social listening; +https://github.com/social-crm)"
DEFAULT_TIMEOUT = (5, 30)  # seconds: connect, read (each socket operation)
DEFAULT_DEADLINE = 60.0  # seconds for a whole request: redirects, retries and the body
MAX_BODY_BYTES = 10 * 1024 * 1024  # per response, after decompression
MAX_REDIRECTS = 5
MAX_WAIT = 86400.0  # seconds: the longest wait a platform can ask for (a day)
MAX_DETAIL = 300  # characters of a platform's error message quoted in ours
CHUNK = 16 * 1024
RETRY_STATUSES = {500, 502, 503, 504}
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
REMAINING_HEADERS = ("x-rate-limit-remaining", "x-ratelimit-remaining", "ratelimit-remaining")
RESET_HEADERS = ("x-rate-limit-reset", "x-ratelimit-reset", "ratelimit-reset")
EPOCH_THRESHOLD = 1_000_000_000  # a reset value above this is a Unix timestamp, below it a delay
# headers and arguments that carry credentials: dropped when a redirect leaves the origin
CREDENTIAL_HEADERS = {"authorization", "proxy-authorization", "cookie", "x-goog-api-key", "x-api-key"}


def _sleep(seconds):
    time.sleep(seconds)  # looked up at call time, so tests can patch time.sleep


def _utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def _clamp_wait(seconds):
    if seconds is None or not math.isfinite(seconds):
        return MAX_WAIT if seconds == math.inf else None
    return min(max(0.0, seconds), MAX_WAIT)


def parse_reset(value, now=None):
    """Seconds to wait until a rate-limit window resets, or None; at most
    :data:`MAX_WAIT`.

    Accepts a delay in seconds (``Retry-After: 4``, Reddit's reset), a Unix
    timestamp (X, Bluesky), an HTTP date (``Retry-After``) or an ISO 8601
    date (Mastodon).
    """
    if value is None:
        return None
    value = str(value).strip()[:100]
    if not value:
        return None
    now = now or _utcnow()
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is not None:
        if math.isnan(number):
            return None
        if number > EPOCH_THRESHOLD:
            number -= now.timestamp()
        return _clamp_wait(number)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        when = None
    if when is None:
        try:
            when = date_parser.isoparse(value)
        except (ValueError, OverflowError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    try:
        return _clamp_wait((when - now).total_seconds())
    except OverflowError:
        return MAX_WAIT


def display_url(url):
    """``url`` as messages show it: no query string, no fragment, no user info
    (a query may carry a key or a token)."""
    try:
        parts = urlsplit(str(url))
        netloc = parts.netloc.rsplit("@", 1)[-1]
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    except ValueError:
        return "(invalid URL)"


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


def _origin(url):
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


# ---------------------------------------------------------------- SSRF guard


class AddressGuard:
    """Which addresses a connection may reach: public ones, and the named hosts
    (or IP addresses, or networks in CIDR form) of ``allowed``."""

    def __init__(self, allowed=()):
        self.hosts, self.networks = set(), []
        for entry in allowed or ():
            entry = str(entry).strip().lower().rstrip(".")
            if not entry:
                continue
            try:
                self.networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                self.hosts.add(entry)

    @staticmethod
    def is_public(address):
        address = ipaddress.ip_address(address)
        if address.version == 6 and address.ipv4_mapped:
            address = address.ipv4_mapped
        return address.is_global and not address.is_multicast

    def allows(self, host, address):
        host = (host or "").strip("[]").lower().rstrip(".")
        if host in self.hosts:
            return True
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if any(ip in network for network in self.networks):
            return True
        return self.is_public(ip)

    def resolve(self, host, port):
        """The ``getaddrinfo`` entries of ``host``; refuses a host with any
        address that is not allowed (one bad record is enough: DNS may rotate)."""
        host = (host or "").strip("[]")
        try:
            entries = socket.getaddrinfo(host, port, urllib3.util.connection.allowed_gai_family(), socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as err:
            raise socket.gaierror(f"cannot resolve {host}") from err
        for *_rest, sockaddr in entries:
            if not self.allows(host, sockaddr[0]):
                raise BlockedAddressError(
                    f"Refused to connect to {host}: it is not a public address (loopback, private or "
                    "link-local). A system administrator can allow it in the system parameter "
                    "social_crm.allowed_hosts.",
                    code="blocked_address",
                    host=host,
                )
        return entries


class _Deadline:
    """The end of one request: the sockets it uses are shut down when it passes,
    which wakes up any read blocked on a slow server."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.expired = False
        self._sockets = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self):
        return self.at - time.monotonic()

    def watch(self, sock):
        with self._lock:
            if sock is None or sock in self._sockets:
                return
            self._sockets.append(sock)
            if not self.expired:
                return
        self._shutdown(sock)

    def _expire(self):
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            self._shutdown(sock)

    @staticmethod
    def _shutdown(sock):
        with contextlib.suppress(OSError):  # already closed
            sock.shutdown(socket.SHUT_RDWR)

    def cancel(self):
        self._timer.cancel()


_current = threading.local()  # the deadline of the request this thread is sending


def _watch(sock):
    deadline = getattr(_current, "deadline", None)
    if deadline is not None:
        deadline.watch(sock)


def _guarded_classes(guard):
    """Connection pools whose connections check the address they connect to."""

    def new_conn(self):
        entries = guard.resolve(self._dns_host, self.port)
        error = None
        for family, socktype, proto, _canonname, sockaddr in entries:
            sock = None
            try:
                sock = socket.socket(family, socktype, proto)
                for option in self.socket_options or ():
                    sock.setsockopt(*option)
                if self.timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                    sock.settimeout(self.timeout)
                if self.source_address:
                    sock.bind(self.source_address)
                sock.connect(sockaddr)
                return sock
            except TimeoutError as err:
                if sock is not None:
                    sock.close()
                raise urllib3.exceptions.ConnectTimeoutError(self, f"Connection to {self.host} timed out") from err
            except OSError as err:
                error = err
                if sock is not None:
                    sock.close()
        raise urllib3.exceptions.NewConnectionError(self, f"Failed to establish a new connection: {error}")

    def connect(self):
        self._social_crm_connect()
        _watch(self.sock)

    def getresponse(self, *args, **kwargs):
        _watch(self.sock)  # a kept-alive connection: connect() was not called
        return self._social_crm_getresponse(*args, **kwargs)

    def make(base):
        return type(
            f"Guarded{base.__name__}",
            (base,),
            {
                "_new_conn": new_conn,
                "_social_crm_connect": base.connect,
                "connect": connect,
                "_social_crm_getresponse": base.getresponse,
                "getresponse": getresponse,
            },
        )

    http_pool = type("GuardedHTTPConnectionPool", (HTTPConnectionPool,), {"ConnectionCls": make(HTTPConnection)})
    https_pool = type("GuardedHTTPSConnectionPool", (HTTPSConnectionPool,), {"ConnectionCls": make(HTTPSConnection)})
    return {"http": http_pool, "https": https_pool}


class GuardedAdapter(HTTPAdapter):
    """A transport adapter that connects only to addresses the guard allows.

    Through a proxy the proxy connects, not us: the target host is then
    resolved and checked before the request is handed to the proxy."""

    def __init__(self, guard, **kwargs):
        self.guard = guard
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        result = super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _guarded_classes(self.guard)
        return result

    def send(self, request, **kwargs):
        if select_proxy(request.url, kwargs.get("proxies")):
            parts = urlsplit(request.url)
            try:
                self.guard.resolve(parts.hostname, parts.port or 443)
            except socket.gaierror as err:
                raise requests.ConnectionError(str(err), request=request) from err
        return super().send(request, **kwargs)


# ---------------------------------------------------------------- bodies


class _Decoder:
    """Incremental gzip / deflate decoding with a bound on what it produces."""

    def __init__(self, encoding):
        self.gzip = encoding in ("gzip", "x-gzip")
        self._first = True
        self._new()

    def _new(self, raw=False):
        wbits = 16 + zlib.MAX_WBITS if self.gzip else (-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
        self._zlib = zlib.decompressobj(wbits)

    def feed(self, data, limit):
        """Decoded bytes of ``data``: at most ``limit`` (more means too large)."""
        out = []
        produced = 0
        while data and produced <= limit:
            try:
                chunk = self._zlib.decompress(data, limit - produced + 1)
            except zlib.error:
                if self._first and not self.gzip:
                    # "deflate" is often sent raw, without the zlib header
                    self._first = False
                    self._new(raw=True)
                    continue
                raise
            self._first = False
            out.append(chunk)
            produced += len(chunk)
            data = self._zlib.unconsumed_tail
            if not data and self._zlib.eof and self._zlib.unused_data:
                data = self._zlib.unused_data  # another gzip member
                self._new()
        return b"".join(out)


class HttpClient:
    """HTTP with timeouts, a deadline, a size cap, an SSRF guard, retries,
    backoff and rate-limit awareness."""

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
        allowed_hosts=(),
        deadline=DEFAULT_DEADLINE,
        max_bytes=MAX_BODY_BYTES,
    ):
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", USER_AGENT)
        # only what _Decoder reads: an unknown encoding could not be bounded
        self.session.headers["Accept-Encoding"] = "gzip, deflate"
        self.session.max_redirects = MAX_REDIRECTS
        self.guard = AddressGuard(allowed_hosts)
        adapter = GuardedAdapter(self.guard)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.timeout = timeout
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_wait = min(max_wait, MAX_WAIT)
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
        except (ValueError, RecursionError) as err:
            raise PayloadError(
                f"{display_url(response.url)} answered HTTP {response.status_code} with a body "
                f"that is not JSON ({response.headers.get('Content-Type', 'no content type')[:100]})",
                status=response.status_code,
            ) from err

    def request(self, method, url, **kwargs):
        """Send a request and return the successful ``requests.Response``
        (its body read, at most ``max_bytes``)."""
        kwargs.setdefault("timeout", self.timeout)
        kwargs["allow_redirects"] = False
        kwargs["stream"] = True
        self._wait_for_quota(url)
        if self.before_request:
            self.before_request(kwargs)
        deadline = _Deadline(self.deadline)
        _current.deadline = deadline
        try:
            return self._request(method, url, kwargs, deadline)
        finally:
            _current.deadline = None
            deadline.cancel()

    # ----------------------------------------------------------------- helpers

    def _request(self, method, url, kwargs, deadline):
        attempt = 0
        hops = 0
        reauthorized = False
        while True:
            attempt += 1
            self.calls += 1
            response = self._send(method, url, kwargs, deadline, attempt)
            if response is None:  # a connection error, retried
                continue
            self._remember_quota(response)
            status = response.status_code
            location = response.headers.get("Location")
            if status in REDIRECT_STATUSES and location:
                response.close()
                hops += 1
                if hops > MAX_REDIRECTS:
                    raise ConnectorError(f"{display_url(url)}: more than {MAX_REDIRECTS} redirects", status=status)
                method, url, kwargs = self._redirect(method, url, kwargs, status, location)
                attempt = 0
                continue
            self._read_body(response, url, deadline)
            if status < 400:
                return response
            if self.on_unauthorized and not reauthorized and self.on_unauthorized(response, kwargs):
                reauthorized = True  # refreshed once: a second refusal is final
                continue
            if self.on_error:
                platform_error = self.on_error(response)
                if platform_error is not None:
                    raise platform_error
            shown = display_url(url)
            if status == 429:
                wait = self._retry_after(response)
                if attempt <= self.max_retries and wait is not None and wait <= self.max_wait:
                    _logger.info("HTTP 429 from %s: waiting %.1fs as asked", shown, wait)
                    self.sleep(wait)
                    continue
                raise RateLimitedError(
                    f"Rate limited by {shown} (HTTP 429); retry after {wait if wait is not None else 'unknown'}s",
                    retry_after=wait,
                )
            if status in RETRY_STATUSES:
                if attempt > self.max_retries or not self._can_wait(attempt, deadline):
                    raise TransientError(
                        f"{method} {shown} answered HTTP {status} after {attempt} attempts{self._detail(response)}",
                        status=status,
                    )
                self._backoff(attempt, f"HTTP {status} on {shown}")
                continue
            detail = self._detail(response)
            if status in (401, 403):
                raise AuthenticationError(f"{shown} refused the credentials (HTTP {status}){detail}", status=status)
            raise ConnectorError(f"{method} {shown} answered HTTP {status}{detail}", status=status, code="http_status")

    def _send(self, method, url, kwargs, deadline, attempt):
        """One HTTP exchange up to the headers; None when it should be retried."""
        shown = display_url(url)
        if urlsplit(url).scheme not in ("http", "https"):
            raise ConnectorError(f"Only http and https URLs can be fetched, not {shown}")
        if deadline.remaining() <= 0:
            raise TransientError(f"{method} {shown} did not finish within {deadline.seconds:.0f}s")
        try:
            return self.session.request(method, url, **kwargs)
        except BlockedAddressError:
            raise
        except requests.ReadTimeout as err:
            # the server accepted the connection but does not answer: asking again
            # would only hold the pull longer
            raise TransientError(f"{method} {shown}: no answer within the read timeout") from err
        except (requests.ConnectionError, requests.Timeout) as err:
            if deadline.expired:
                raise TransientError(f"{method} {shown} did not finish within {deadline.seconds:.0f}s") from err
            if attempt > self.max_retries or not self._can_wait(attempt, deadline):
                reason = "timed out" if isinstance(err, requests.Timeout) else "could not connect"
                raise TransientError(f"{method} {shown} failed after {attempt} attempts ({reason})") from err
            self._backoff(attempt, f"{type(err).__name__} on {shown}")
            return None
        except requests.RequestException as err:
            raise ConnectorError(f"{method} {shown}: invalid request ({type(err).__name__})") from err

    def _redirect(self, method, url, kwargs, status, location):
        target = urljoin(url, location.strip())
        if urlsplit(target).scheme not in ("http", "https"):
            raise ConnectorError(f"{display_url(url)} redirected to a URL that is not http or https")
        kwargs = dict(kwargs)
        kwargs.pop("params", None)  # the Location carries its own query
        if status == 303 or (status in (301, 302) and method not in ("GET", "HEAD")):
            method = "GET"
            for name in ("data", "json", "files"):
                kwargs.pop(name, None)
        if _origin(target) != _origin(url):
            headers = {k: v for k, v in (kwargs.get("headers") or {}).items() if k.lower() not in CREDENTIAL_HEADERS}
            kwargs["headers"] = headers
            kwargs.pop("auth", None)
            kwargs.pop("cookies", None)
        _logger.debug("HTTP %s from %s to %s", status, display_url(url), display_url(target))
        return method, target, kwargs

    def _read_body(self, response, url, deadline):
        """Read the body into ``response`` (so ``.content``, ``.json()`` work),
        at most ``max_bytes`` once decoded, before the deadline."""
        limit = self.max_bytes
        encoding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
        if encoding in ("identity", ""):
            decoder = None
        elif encoding in ("gzip", "x-gzip", "deflate"):
            decoder = _Decoder(encoding)
        else:
            response.close()
            raise PayloadError(f"{display_url(url)} sent an unsupported content encoding")
        too_large = PayloadError(
            f"{display_url(url)} sent more than {limit // (1024 * 1024) or limit} "
            f"{'MB' if limit >= 1024 * 1024 else 'bytes'}: refused"
        )
        length = response.headers.get("Content-Length", "")
        if decoder is None and length.isdigit() and int(length) > limit:
            response.close()
            raise too_large
        parts, size = [], 0
        if hasattr(response.raw, "enforce_content_length"):
            response.raw.enforce_content_length = True  # a body cut short is an error, not a shorter body
        try:
            while True:
                data = response.raw.read(CHUNK, decode_content=False)
                if deadline.expired:
                    raise urllib3.exceptions.ProtocolError("deadline")
                if not data:
                    break
                if decoder is not None:
                    data = decoder.feed(data, limit - size)
                size += len(data)
                if size > limit:
                    response.close()
                    raise too_large
                parts.append(data)
        except (urllib3.exceptions.HTTPError, OSError, ValueError, zlib.error) as err:
            response.close()
            if deadline.expired:
                raise TransientError(
                    f"{response.request.method} {display_url(url)} did not finish within {deadline.seconds:.0f}s"
                ) from err
            if isinstance(err, zlib.error):
                raise PayloadError(f"{display_url(url)} sent a body that does not decompress") from err
            raise TransientError(f"{display_url(url)}: the connection broke while reading the answer") from err
        response._content = b"".join(parts)
        response._content_consumed = True

    def _detail(self, response):
        try:
            message = self.error_message(response)
        except Exception:  # a broken error body must not hide the HTTP status
            _logger.debug("Could not read the error body of %s", display_url(response.url), exc_info=True)
            message = ""
        message = " ".join(str(message or "").split())
        if len(message) > MAX_DETAIL:
            message = message[: MAX_DETAIL - 1] + "…"
        return f": {redact(message)}" if message else ""

    def _can_wait(self, attempt, deadline):
        return self.backoff * (2 ** (attempt - 1)) < deadline.remaining()

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
            raise RateLimitedError(
                f"Quota of {display_url(url)} is used up; it resets in {wait:.0f}s", retry_after=_clamp_wait(wait)
            )
        _logger.info("Quota used up: waiting %.1fs before calling %s", wait, display_url(url))
        self.sleep(wait)
