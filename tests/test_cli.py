"""``python -m social_crm.connectors``: replay files and dry-run pulls without Odoo."""

import json
import subprocess
import sys

import pytest
import responses

from social_crm.connectors import CONNECTORS
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


# ------------------------------------------------- recorded errors and hostile input (issue 13)

PRAWCORE = "reddit/prawcore/TestSession.test_request"


@pytest.mark.parametrize(
    "platform, fixture, error",
    [
        ("mastodon", "mastodon/mastodon.py/test_unauthed_home_tl_throws__01.json", "AuthenticationError"),  # 401
        ("mastodon", "mastodon/mastodon.py/test_status_missing__00.json", "ConnectorError"),  # 404
        ("mastodon", "mastodon/mastodon.py/test_lang_for_errors__00.json", "ConnectorError"),  # 422
        ("bluesky", "bluesky/bskyr/repo_auth_cache__00.json", "AuthenticationError"),  # 401 createSession
        ("bluesky", "bluesky/bskyr/r_post_errors__00.json", "ConnectorError"),  # 400 InvalidRequest
        ("reddit", f"{PRAWCORE}__too__many_requests__with_retry_headers__01.html", "RateLimitedError"),  # 429
        ("reddit", "reddit/praw/TestModNotes.test_delete_note__all_notes__02.json", "TransientError"),  # 500
        ("x", "x/rtweet/friends8__00.json", "AuthenticationError"),  # 401
        # bodies recorded without their status: the error body itself is the error
        ("facebook", "facebook/sns-python-facebook/base__error_data.json", "AuthenticationError"),
        ("youtube", "youtube/sns-python-youtube/testdata__error_response.json", "AuthenticationError"),
        ("youtube", "youtube/sns-python-youtube/apidata__error_permission_resp.json", "AuthenticationError"),
    ],
)
def test_recorded_error_responses_exit_2_naming_the_typed_error(capsys, platform, fixture, error):
    assert main(["pull", "--platform", platform, "--from-file", replay.path(fixture)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"error: {error}: ") and len(err.strip().splitlines()) == 1


def test_an_x_answer_with_only_errors_exits_2(capsys, tmp_path):
    # documented shape: a 200 whose content is only "errors" (suspended user of a mentions timeline:
    # https://docs.x.com/x-api/fundamentals/response-codes-and-errors)
    path = tmp_path / "suspended.json"
    error = {"detail": "User has been suspended: [1234].", "title": "Forbidden", "resource_type": "user"}
    path.write_text(json.dumps({"errors": [error]}))
    assert main(["pull", "--platform", "x", "--from-file", str(path)]) == 2
    assert (
        capsys.readouterr().err == "error: ConnectorError: X answered only errors: User has been suspended: [1234].\n"
    )


BAD_INPUTS = {
    "null": b"null",
    "string": b'"just a string"',
    "numbers": b"[1, 2, 3]",
    "wrong types": b'{"data": 5, "items": "x", "posts": 1, "statuses": {}, "feed": 2, "hits": 3, "thread": []}',
    "lone surrogates": b'{"data": [{"id": "1", "text": "a \\ud800 b"}], "items": [{"id": "1", "title": "\\udfff"}]}',
    "not json": b"\xff\xfe<garbage",
    "empty": b"",
}


@pytest.mark.parametrize("platform", sorted(CONNECTORS))
def test_no_input_prints_a_traceback(capsys, tmp_path, platform):
    for name, content in BAD_INPUTS.items():
        path = tmp_path / f"{name}.json"
        path.write_bytes(content)
        code = main(["pull", "--platform", platform, "--from-file", str(path)])
        out, err = capsys.readouterr()
        assert code in (0, 2), (name, err)
        assert "Traceback" not in err and "Traceback" not in out, name
        if code == 2:
            assert err.startswith("error: ") and err.count("\n") == 1, (name, err)
        for line in out.splitlines():
            json.loads(line)
    assert main(["pull", "--platform", platform, "--from-file", str(tmp_path / "missing.json")]) == 2
    assert "error: ConfigurationError: cannot read" in capsys.readouterr().err


def test_a_missing_file_is_one_line_from_the_shell():
    result = subprocess.run(
        [sys.executable, "-m", "social_crm.connectors", "pull", "--platform", "x", "--from-file", "/nonexistent.json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": ROOT, "PATH": ""},
    )
    assert result.returncode == 2
    assert result.stderr == "error: ConfigurationError: cannot read /nonexistent.json: No such file or directory\n"


def test_json_lines_stay_one_per_line(capsys):
    # an author bio of this recorded timeline holds U+2028 (LINE SEPARATOR)
    fixture = replay.path("mastodon/rtoot/get_timeline_public_anonymous__00.json")
    assert main(["pull", "--platform", "mastodon", "--from-file", fixture]) == 0
    out = capsys.readouterr().out
    assert "\u2028" not in out and "\u2029" not in out and "\\u2028" in out
    lines = out.splitlines()  # str.splitlines also splits on U+2028: it must not find any
    assert len(lines) == len(json.loads(replay.body("mastodon/rtoot/get_timeline_public_anonymous__00.json")))
    assert any("\u2028" in json.loads(line)["author"]["bio"] for line in lines)
