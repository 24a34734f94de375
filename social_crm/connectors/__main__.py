"""Command line: dry-run a connector or replay a recorded response, no Odoo needed.

Examples::

    python -m social_crm.connectors platforms
    python -m social_crm.connectors pull --platform rss --target https://hnrss.org/newest --keyword odoo
    python -m social_crm.connectors pull --platform mastodon --mode hashtag --hashtag odoo \\
        --setting base_url=https://mastodon.social --pages 2
    python -m social_crm.connectors pull --platform x --from-file recorded.json
    python -m social_crm.connectors check --platform mastodon --setting access_token=...

Mentions are printed to standard output as JSON lines; the cursor to save for
the next run is printed to standard error. Secrets may be given as
``--setting access_token=...`` or as environment variables
``SOCIAL_CRM_<SETTING>`` (e.g. ``SOCIAL_CRM_ACCESS_TOKEN``).
"""

import argparse
import json
import logging
import os
import sys

from . import CONNECTORS, ConnectorError, Query, get_connector


def _out(line, stream=None):
    (stream or sys.stdout).write(f"{line}\n")


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


def _replay(connector, path, with_raw):
    with open(path, "rb") as handle:
        body = handle.read()
    if connector.platform == "rss":
        payloads = [body]
    elif path.endswith(".jsonl"):
        payloads = [line for line in body.splitlines() if line.strip()]
    else:
        payloads = [body]
    count = 0
    for payload in payloads:
        try:
            mentions = connector.parse(payload)
        except (ConnectorError, ValueError) as err:
            _out(f"skipped an unreadable payload: {err}", sys.stderr)
            continue
        for mention in mentions:
            _out(mention.to_json(with_raw=with_raw))
            count += 1
    return count


def _pull(connector, query, cursor, pages, with_raw):
    count = 0
    for _number in range(pages):
        page = connector.fetch_page(query, cursor)
        for mention in page.mentions:
            _out(mention.to_json(with_raw=with_raw))
        count += len(page.mentions)
        cursor = page.cursor
        if page.done:
            break
    _out(json.dumps({"cursor": cursor}), sys.stderr)
    return count


def main(argv=None):
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
    args = parser.parse_args(argv)

    if args.command == "platforms":
        for code, cls in sorted(CONNECTORS.items()):
            _out(f"{code:12} {cls.label:20} modes: {', '.join(cls.modes)}")
        return 0

    if args.command == "check":
        report = get_connector(args.platform, _settings(args.setting)).test_connection()
        _out(json.dumps(report.to_dict(), indent=1, sort_keys=True))
        return 0 if report.ok else 2

    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr)
    connector = get_connector(args.platform, _settings(args.setting))
    try:
        if args.from_file:
            count = _replay(connector, args.from_file, args.raw)
        else:
            query = Query(
                mode=args.mode or connector.modes[0],
                keywords=tuple(args.keyword),
                hashtags=tuple(h.lstrip("#") for h in args.hashtag),
                handles=tuple(h.lstrip("@") for h in args.handle),
                target=args.target,
            )
            count = _pull(connector, query, json.loads(args.cursor), max(1, args.pages), args.raw)
    except ConnectorError as err:
        _out(f"error: {type(err).__name__}: {err}", sys.stderr)
        return 2
    _out(f"{count} mention(s)", sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
