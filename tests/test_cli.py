"""``python -m social_crm.connectors``: replay files and dry-run pulls without Odoo."""

import json
import subprocess
import sys

import responses

from social_crm.connectors.__main__ import main
from social_crm.tests import replay

from .conftest import ROOT


def test_module_runs_as_a_script_without_odoo():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "social_crm.connectors",
            "pull",
            "--platform",
            "bluesky",
            "--from-file",
            replay.path("bluesky/bskyr/f_search__00.json"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": ROOT, "PATH": ""},
    )
    lines = result.stdout.splitlines()
    assert len(lines) == 25
    first = json.loads(lines[0])
    assert first["platform"] == "bluesky" and first["external_id"].startswith("at://")
    assert "odoo" not in result.stderr.lower()
    assert "25 mention(s)" in result.stderr


def test_replay_jsonl_skips_the_truncated_line(capsys):
    assert (
        main(["pull", "--platform", "x", "--from-file", replay.path("x/twarc-csv/streaming_output_with_error.jsonl")])
        == 0
    )
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 7
    assert "skipped an unreadable payload" in err


def test_platforms_lists_modes(capsys):
    assert main(["platforms"]) == 0
    out = capsys.readouterr().out
    assert "mastodon" in out and "hashtag" in out


@responses.activate
def test_pull_prints_mentions_and_cursor(capsys):
    replay.add(
        responses,
        "GET",
        "https://hn.algolia.com/api/v1/search_by_date",
        "hackernews/hiringtrends/returns_the_correct_result__00.json",
    )
    assert main(["pull", "--platform", "hackernews", "--keyword", "hiring"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 20
    assert '"cursor": {"since": ' in err


@responses.activate
def test_pull_reports_connector_errors(capsys):
    replay.add(responses, "GET", "https://api.twitter.com/2/tweets/search/recent", "x/rtweet/friends8__00.json")
    assert main(["pull", "--platform", "x", "--keyword", "acme", "--setting", "access_token=bad"]) == 2
    assert "AuthenticationError" in capsys.readouterr().err


@responses.activate
def test_check_prints_the_connection_report(capsys):
    replay.add(responses, "GET", "https://api.twitter.com/2/users/me", "x/tweepy/test_client_get_me__00.json")
    assert main(["check", "--platform", "x", "--setting", "access_token=t"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["identity"] == "@TweepyDev" and report["read"] is None and report["ok"] is True
    assert main(["check", "--platform", "youtube"]) == 2  # no API key: nothing works
    assert json.loads(capsys.readouterr().out)["findings"][0] == {
        "code": "setting",
        "capability": "",
        "name": "api_key",
    }
