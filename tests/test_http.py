"""HttpClient: timeouts, retries, backoff, rate limits, error mapping."""

import datetime

import pytest
import requests
import responses

from social_crm.connectors import AuthenticationError, ConnectorError, HttpClient, RateLimitedError, TransientError
from social_crm.connectors.http import parse_reset
from social_crm.tests import replay

NOW = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.timezone.utc)
URL = "https://oauth.reddit.com/api/v1/me"


class Sleeper:
    def __init__(self):
        self.calls = []

    def __call__(self, seconds):
        self.calls.append(seconds)


def client(**kwargs):
    sleeper = Sleeper()
    kwargs.setdefault("sleep", sleeper)
    kwargs.setdefault("now", lambda: NOW)
    return HttpClient(**kwargs), sleeper


def test_parse_reset_forms():
    assert parse_reset("4", NOW) == 4
    assert parse_reset(str(NOW.timestamp() + 30), NOW) == pytest.approx(30)
    assert parse_reset("Sun, 22 Nov 2026 12:01:00 GMT", NOW) == 60
    assert parse_reset("2026-11-22T12:05:00.000Z", NOW) == 300
    assert parse_reset("2020-01-01T00:00:00Z", NOW) == 0
    assert parse_reset("soon", NOW) is None
    assert parse_reset(None, NOW) is None


@responses.activate
def test_429_retry_after_is_honoured_then_succeeds():
    replay.add(
        responses,
        "GET",
        URL,
        "reddit/prawcore/TestSession.test_request__too__many_requests__with_retry_headers__01.html",
    )
    responses.add("GET", URL, json={"name": "me"})
    http, sleeper = client()
    assert http.get_json(URL) == {"name": "me"}
    assert sleeper.calls == [4.0]  # the recorded Retry-After: 4
    assert http.calls == 2


@responses.activate
def test_429_with_long_wait_raises_rate_limited():
    replay.add(
        responses,
        "GET",
        URL,
        "reddit/prawcore/TestSession.test_request__too__many_requests__with_retry_headers__01.html",
    )
    http, sleeper = client(max_wait=2)
    with pytest.raises(RateLimitedError) as info:
        http.get_json(URL)
    assert info.value.retry_after == 4.0
    assert sleeper.calls == []


@responses.activate
def test_5xx_is_retried_with_backoff_then_transient_error():
    url = "https://oauth.reddit.com/api/mod/notes"
    for _ in range(4):
        replay.add(responses, "DELETE", url, "reddit/praw/TestModNotes.test_delete_note__all_notes__02.json")
    http, sleeper = client(max_retries=3, backoff=1)
    with pytest.raises(TransientError) as info:
        http.request("DELETE", url)
    assert "Internal Server Error" in str(info.value)
    assert sleeper.calls == [1, 2, 4]
    assert info.value.status == 500


@responses.activate
def test_5xx_then_success():
    url = "https://oauth.reddit.com/api/mod/notes"
    replay.add(responses, "DELETE", url, "reddit/praw/TestModNotes.test_delete_note__all_notes__02.json")
    responses.add("DELETE", url, json={})
    http, sleeper = client()
    assert http.request("DELETE", url).status_code == 200
    assert sleeper.calls == [1.0]


@responses.activate
def test_401_is_an_authentication_error_with_the_platform_message():
    replay.add(
        responses,
        "GET",
        "https://emacs.ch/api/v1/timelines/home",
        "mastodon/mastodon.py/test_unauthed_home_tl_throws__01.json",
    )
    http, _sleeper = client(error_message=lambda r: r.json()["error"])
    with pytest.raises(AuthenticationError) as info:
        http.get_json("https://emacs.ch/api/v1/timelines/home")
    assert "The access token is invalid" in str(info.value)
    assert info.value.status == 401


@responses.activate
def test_network_errors_become_transient_errors():
    responses.add("GET", URL, body=requests.ConnectionError("boom"))
    responses.add("GET", URL, body=requests.ConnectionError("boom"))
    http, sleeper = client(max_retries=1)
    with pytest.raises(TransientError):
        http.get_json(URL)
    assert sleeper.calls == [1.0]


@responses.activate
def test_exhausted_quota_blocks_the_next_call():
    reset = int(NOW.timestamp()) + 600
    responses.add("GET", URL, json={}, headers={"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)})
    http, _sleeper = client(max_wait=30)
    http.get_json(URL)
    with pytest.raises(RateLimitedError) as info:
        http.get_json(URL)
    assert info.value.retry_after == pytest.approx(600)
    assert len(responses.calls) == 1  # the second call never reached the platform


@responses.activate
def test_non_json_body_is_a_clear_error():
    responses.add("GET", URL, body="<html>maintenance</html>", content_type="text/html")
    http, _sleeper = client()
    with pytest.raises(ConnectorError, match="not JSON"):
        http.get_json(URL)


@responses.activate
def test_every_request_has_a_timeout():
    seen = {}

    def callback(request):
        seen["timeout"] = request.req_kwargs.get("timeout")
        return (200, {}, "{}")

    responses.add_callback("GET", URL, callback=callback)
    http, _sleeper = client()
    http.get_json(URL)
    assert seen["timeout"] == (5, 30)
