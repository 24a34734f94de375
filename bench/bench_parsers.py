"""Benchmark: the parsers' cost on hostile input (issue 10, point 7) and on the recordings.

    python bench/bench_parsers.py [--rounds 3]

No Odoo needed. Times, best of ``--rounds``:

1. ``html_to_text`` on markup built to make a parser quadratic ("<a" repeated
   120,000 times, unclosed comments, quotes and script tags, a 1 MB document);
2. the XML encoding declaration of an RSS document padded with 832 KB of
   ``encoding="u" `` (the regex used to backtrack over all of it);
3. every connector's ``parse`` over every recorded response of
   ``social_crm/tests/fixtures`` (mentions per second).

Target: each hostile input in well under a second (the cost of one text is
bounded by ``MAX_HTML_LENGTH``: linear, at most a few hundred milliseconds).
"""

import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from social_crm.connectors import ConnectorError, get_connector  # noqa: E402
from social_crm.connectors.base import html_to_text  # noqa: E402
from social_crm.tests import replay  # noqa: E402

HOSTILE_HTML = {
    '"<a" x 120,000': "<a" * 120_000,
    '"<a " x 120,000': "<a " * 120_000,
    '"<!--" x 100,000': "<!--" * 100_000,
    '"<script>" x 100,000': "<script>" * 100_000,
    '"<a \'" then 100,000 "<b "': "<a '" + "<b " * 100_000,
    '"<" x 300,000': "<" * 300_000,
    "1 MB of paragraphs": "<p>Hello <b>world</b> &amp; friends</p>\n" * 25_000,
}
HOSTILE_FEED = b'<?xml version="1.0" ' + b'encoding="u" ' * 64_000 + b"?><rss><channel></channel></rss>"


def best(function, rounds):
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def recordings():
    for platform in sorted(os.listdir(replay.FIXTURES)):
        folder = os.path.join(replay.FIXTURES, platform)
        if not os.path.isdir(folder) or platform == "LICENSES":
            continue
        for directory, _folders, names in os.walk(folder):
            for name in sorted(names):
                if not name.endswith(".meta.json"):
                    with open(os.path.join(directory, name), "rb") as handle:
                        yield platform, handle.read()


def parse_all(payloads):
    count = 0
    for platform, body in payloads:
        try:
            count += len(get_connector(platform).parse(body))
        except ConnectorError:
            pass
    return count


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print("html_to_text on hostile markup (best of %d):" % args.rounds)
    for label, markup in HOSTILE_HTML.items():
        print(f"  {label:36} {len(markup):>9,} chars  {best(lambda m=markup: html_to_text(m), args.rounds):8.3f} s")
    rss = get_connector("rss")

    def feed():
        try:
            rss.parse(HOSTILE_FEED)
        except ConnectorError:
            pass

    print(f"RSS with {len(HOSTILE_FEED):,} bytes of declaration      {best(feed, args.rounds):8.3f} s")
    payloads = list(recordings())
    count = parse_all(payloads)
    seconds = best(lambda: parse_all(payloads), args.rounds)
    print(
        f"{len(payloads)} recorded responses, {count:,} mentions: {seconds:.3f} s ({count / seconds:,.0f} mentions/s)"
    )


if __name__ == "__main__":
    main()
