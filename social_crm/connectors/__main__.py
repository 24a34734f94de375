"""Command line: dry-run a connector or replay a recorded response, no Odoo needed.

Examples::

    python -m social_crm.connectors platforms
    python -m social_crm.connectors pull --platform rss --target https://hnrss.org/newest --keyword odoo
    python -m social_crm.connectors pull --platform mastodon --mode hashtag --hashtag odoo \\
        --setting base_url=https://mastodon.social --pages 2
    python -m social_crm.connectors pull --platform x --from-file recorded.json
    python -m social_crm.connectors check --platform mastodon --setting access_token=...

Mentions are printed to standard output as JSON lines (U+2028, U+2029 and
lone surrogates escaped, so that every line splits the same way everywhere);
the cursor to save for the next run is printed to standard error. Secrets may
be given as ``--setting access_token=...`` or as environment variables
``SOCIAL_CRM_<SETTING>`` (e.g. ``SOCIAL_CRM_ACCESS_TOKEN``).

``--from-file`` replays a recorded response body; the ``<file>.meta.json`` (or
``<name>.meta.json``) beside it, in the format of the project's recordings,
gives its HTTP status and headers. The recording goes through the same HTTP
error handling and the same parser as a live pull, so an error response is
reported as the cron would record it. A ``.jsonl`` file is one payload per line.

Exit status: 0 when mentions (or none) were read; 2 with one line
``error: <TypeOfError>: <message>`` on standard error when the platform's
answer is an error or cannot be read (``AuthenticationError``,
``RateLimitedError``, ``TransientError``, ``PayloadError``,
``ConfigurationError``, ``ConnectorError``: the types the cron acts on);
1 for an internal error (a bug: please report it).
"""

import argparse
import io
import json
import logging
import os
import re
import sys

from requests.adapters import HTTPAdapter
from requests.models import PreparedRequest
from urllib3 import HTTPResponse

from . import CONNECTORS, ConfigurationError, ConnectorError, HttpClient, Query, get_connector
from .base import as_int

_logger = logging.getLogger(__name__)

# characters that split a line for some readers (str.splitlines, JavaScript) or cannot be encoded
_UNSAFE = re.compile("[\u2028\u2029\ud800-\udfff]")
# the recorder stored decoded bodies; these headers describe the wire form
DROPPED_HEADERS = {"content-encoding", "content-length", "transfer-encoding", "set-cookie"}
REPLAY_URL = "https://recording.invalid/"


def _safe(line):
    """``line`` with the characters that break JSON lines escaped as ``\\uXXXX``.

    They can only occur inside JSON strings, where the escape means the same."""
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", line)


def _out(line, stream=None):
    (stream or sys.stdout).write(f"{_safe(line)}\n")


def _error_line(err):
    message = " ".join(str(err).split())  # one line, whatever the platform wrote
    return f"error: {type(err).__name__}: {message}"


SETTING_NAMES = (
    "access_token",
    "api_key",
    "base_url",
    "username",
    "password",
    "client_id",
    "client_secret",
    "account_ref",
    "api_version",
)


def _settings(pairs):
    settings = {
        name: os.environ[f"SOCIAL_CRM_{name.upper()}"]
        for name in SETTING_NAMES
        if os.environ.get(f"SOCIAL_CRM_{name.upper()}")
    }
    for pair in pairs or ():
        key, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"--setting expects key=value, got {pair!r}")
        settings[key.strip()] = value
    return settings


# ------------------------------------------------------------------ replay


def _meta(path):
    """The recording's metadata beside ``path`` (``{}`` if there is none)."""
    for candidate in (f"{path}.meta.json", f"{os.path.splitext(path)[0]}.meta.json"):
        if os.path.isfile(candidate):
            try:
                with open(candidate, encoding="utf-8") as handle:
                    meta = json.load(handle)
            except (OSError, ValueError) as err:
                _logger.warning("Ignored the unreadable metadata %s (%s)", candidate, err)
                return {}
            return meta if isinstance(meta, dict) else {}
    return {}


class _RecordedSession:
    """A ``requests`` session that answers every request with one recorded
    response (no network): status, headers and body as recorded."""

    def __init__(self, body, meta):
        self.headers = {}
        response = meta.get("response") if isinstance(meta.get("response"), dict) else {}
        self.status = as_int(response.get("status")) or 200
        self.reason = str(response.get("reason") or "")
        headers = response.get("headers") if isinstance(response.get("headers"), dict) else {}
        self.recorded_headers = {}
        for name, values in headers.items():
            value = values[-1] if isinstance(values, list) and values else values
            if isinstance(value, str) and str(name).lower() not in DROPPED_HEADERS:
                self.recorded_headers[str(name)] = value
        self.body = body

    def mount(self, prefix, adapter):
        """The client mounts its address guard here: this session never
        connects anywhere, so there is nothing to guard."""

    def request(self, method, url, **kwargs):
        request = PreparedRequest()
        request.prepare(method=method, url=url)
        raw = HTTPResponse(
            body=io.BytesIO(self.body),
            headers=self.recorded_headers,
            status=self.status,
            reason=self.reason,
            preload_content=False,
            decode_content=False,
        )
        return HTTPAdapter().build_response(request, raw)


def _recorded_request(meta):
    """Method and URL of the recorded request (the URL resolves relative feed links)."""
    request = meta.get("request") if isinstance(meta.get("request"), dict) else {}
    url = next(
        (
            value
            for value in (request.get("uri"), request.get("endpoint"))
            if isinstance(value, str) and re.match(r"https?://[^\s/]+", value)
        ),
        REPLAY_URL,
    )
    method = request.get("method") if isinstance(request.get("method"), str) else "GET"
    return method.upper() or "GET", url.split()[0]


def _replay(platform, settings, path, with_raw):
    """Replay one recorded response; returns the number of mentions printed."""
    try:
        with open(path, "rb") as handle:
            body = handle.read()
    except OSError as err:
        raise ConfigurationError(f"cannot read {path}: {err.strerror or err}") from None
    meta = _meta(path)
    http = HttpClient(session=_RecordedSession(body, meta), sleep=lambda seconds: None, max_retries=0)
    connector = get_connector(platform, settings, http=http)
    method, url = _recorded_request(meta)
    response = connector.http.request(method, url)  # an error response raises as in a live pull
    content = response.content
    if connector.platform == "rss":
        feed_url = url if url != REPLAY_URL else ""
        return _print(connector.parse(content, feed_url=feed_url, encoding=response.encoding), with_raw)
    if not path.endswith(".jsonl"):
        return _print(connector.parse(content), with_raw)
    count, failures, lines = 0, [], [line for line in content.splitlines() if line.strip()]
    for number, line in enumerate(lines, 1):
        try:
            mentions = connector.parse(line)
        except ConnectorError as err:
            failures.append(err)
            _out(f"skipped an unreadable payload (line {number}): {_error_line(err)[7:]}", sys.stderr)
            continue
        count += _print(mentions, with_raw)
    if failures and len(failures) == len(lines):
        raise failures[0]
    return count


def _print(mentions, with_raw):
    for mention in mentions:
        _out(mention.to_json(with_raw=with_raw))
    return len(mentions)


def _pull(connector, query, cursor, pages, with_raw):
    count = 0
    for _number in range(pages):
        page = connector.fetch_page(query, cursor)
        count += _print(page.mentions, with_raw)
        cursor = page.cursor
        if page.done:
            break
    _out(json.dumps({"cursor": cursor}), sys.stderr)
    return count


def _parser():
    parser = argparse.ArgumentParser(prog="python -m social_crm.connectors", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("platforms", help="list platforms and their listening modes")
    pull = commands.add_parser("pull", help="fetch mentions (or replay a recorded response)")
    pull.add_argument("--platform", required=True, choices=sorted(CONNECTORS))
    pull.add_argument("--mode", help="listening mode (default: the platform's first)")
    pull.add_argument("--keyword", action="append", default=[])
    pull.add_argument("--hashtag", action="append", default=[])
    pull.add_argument("--handle", action="append", default=[])
    pull.add_argument("--target", default="", help="feed URL, video id, post id, subreddit...")
    pull.add_argument("--setting", action="append", default=[], help="key=value, e.g. access_token=...")
    pull.add_argument("--cursor", default="{}", help="JSON cursor printed by a previous run")
    pull.add_argument("--pages", type=int, default=1)
    pull.add_argument("--from-file", help="parse this recorded response instead of calling the API")
    pull.add_argument("--raw", action="store_true", help="include the raw platform payload")
    pull.add_argument("-v", "--verbose", action="store_true")
    check = commands.add_parser("check", help="test the credentials: what works (read, post), what is missing")
    check.add_argument("--platform", required=True, choices=sorted(CONNECTORS))
    check.add_argument("--setting", action="append", default=[], help="key=value, e.g. access_token=...")
    return parser


def _run(args):
    if args.from_file:
        return _replay(args.platform, _settings(args.setting), args.from_file, args.raw)
    connector = get_connector(args.platform, _settings(args.setting))
    query = Query(
        mode=args.mode or connector.modes[0],
        keywords=tuple(args.keyword),
        hashtags=tuple(h.lstrip("#") for h in args.hashtag),
        handles=tuple(h.lstrip("@") for h in args.handle),
        target=args.target,
    )
    try:
        cursor = json.loads(args.cursor)
    except ValueError as err:
        raise ConfigurationError(f"--cursor is not JSON: {err}") from None
    if not isinstance(cursor, dict):
        raise ConfigurationError("--cursor must be a JSON object, as printed by a previous run")
    return _pull(connector, query, cursor, max(1, args.pages), args.raw)


def main(argv=None):
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")  # a terminal that cannot show a character
    args = _parser().parse_args(argv)
    if args.command == "platforms":
        for code, cls in sorted(CONNECTORS.items()):
            _out(f"{code:12} {cls.label:20} modes: {', '.join(cls.modes)}")
        return 0

    if args.command == "check":
        report = get_connector(args.platform, _settings(args.setting)).test_connection()
        _out(json.dumps(report.to_dict(), indent=1, sort_keys=True))
        return 0 if report.ok else 2

    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr)
    try:
        count = _run(args)
    except ConnectorError as err:
        _out(_error_line(err), sys.stderr)
        return 2
    except Exception as err:  # a bug: one line, the traceback only when asked for
        _out(f"error: internal error ({type(err).__name__}: {' '.join(str(err).split())}); -v shows where", sys.stderr)
        if args.verbose:
            import traceback

            traceback.print_exc()
        return 1
    _out(f"{count} mention(s)", sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
