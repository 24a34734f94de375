"""HttpClient against hostile servers (issue 10): SSRF, redirects, size, deadline,
waits, secrets in messages. A real stand-in server on 127.0.0.1, which the
client refuses unless the test allows it explicitly."""

import datetime
import gzip
import json
import tracemalloc
import zlib

import pytest
import responses

from social_crm.connectors import ConnectorError, HttpClient, Query, RateLimitedError, TransientError, get_connector
from social_crm.connectors.exceptions import BlockedAddressError, PayloadError
from social_crm.connectors.http import MAX_WAIT, AddressGuard, display_url, parse_reset
from social_crm.connectors.redaction import redact
from social_crm.tests import standin

NOW = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.timezone.utc)
LOCAL = ("127.0.0.1",)


def client(**kwargs):
    kwargs.setdefault("sleep", lambda seconds: None)
    kwargs.setdefault("now", lambda: NOW)
    kwargs.setdefault("allowed_hosts", LOCAL)
    return HttpClient(**kwargs)


# ---------------------------------------------------------------- 5. SSRF


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.1.2.3",
        "10.0.0.5",
        "172.16.3.4",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "224.0.0.1",
    ],
)
def test_non_public_addresses_are_refused(address):
    assert not AddressGuard().allows("example.org", address)


def test_public_addresses_and_allowed_hosts_pass():
    assert AddressGuard().allows("example.org", "93.184.216.34")
    assert AddressGuard().allows("example.org", "2606:2800:220:1:248:1893:25c8:1946")
    guard = AddressGuard(["mastodon.internal", "10.1.0.0/16", "127.0.0.1"])
    assert guard.allows("Mastodon.Internal.", "10.9.9.9")  # by name, whatever it resolves to
    assert guard.allows("other", "10.1.2.3")  # by network
    assert guard.allows("other", "127.0.0.1")
    assert not guard.allows("other", "10.2.0.1")


def test_loopback_server_is_refused_unless_allowed():
    with standin.serving({"/feed": standin.answer(200, {"secret": "internal"})}) as server:
        with pytest.raises(BlockedAddressError) as info:
            client(allowed_hosts=()).get_json(server.url("/feed"))
        assert "internal" not in str(info.value)
        assert server.requests == []  # refused before connecting
        assert client().get_json(server.url("/feed")) == {"secret": "internal"}


def test_localhost_by_name_is_refused():
    with standin.serving({"/": standin.answer(200, {})}) as server:
        url = server.url("/").replace("127.0.0.1", "localhost")
        with pytest.raises(BlockedAddressError):
            client(allowed_hosts=()).get_json(url)


def test_every_redirect_hop_is_checked():
    # allowed by name ("localhost"), it redirects to an address that is not allowed
    with standin.serving({"/": standin.redirect("http://169.254.169.254/latest/meta-data/")}) as server:
        url = server.url("/").replace("127.0.0.1", "localhost")
        with pytest.raises(BlockedAddressError):
            client(allowed_hosts=("localhost",)).get_json(url)
        assert len(server.requests) == 1


def test_redirects_are_followed_a_bounded_number_of_times():
    with standin.serving({"/loop": standin.redirect("/loop"), "/ok": standin.answer(200, {"ok": 1})}) as server:
        with pytest.raises(ConnectorError, match="redirects"):
            client().get_json(server.url("/loop"))
        assert len(server.requests) == 6  # the first request and five redirects
        with standin.serving({"/": standin.redirect(server.url("/ok"), 301)}) as first:
            assert client().get_json(first.url("/")) == {"ok": 1}


def test_redirect_to_another_scheme_is_refused():
    with standin.serving({"/": standin.redirect("file:///etc/passwd")}) as server:
        with pytest.raises(ConnectorError, match="not http or https"):
            client().get_json(server.url("/"))


def test_credentials_are_not_sent_to_another_origin():
    with standin.serving({"/": standin.answer(200, {})}) as other:
        with standin.serving({"/same": standin.redirect("/next"), "/next": standin.redirect(other.url("/"))}) as first:
            http = client()
            http.get_json(
                first.url("/same"),
                headers={"Authorization": "Bearer tok-123", "X-goog-api-key": "key-123"},
                auth=None,
            )
        # kept on the same origin, dropped on the other one
        assert first.requests[1][2].get("Authorization") == "Bearer tok-123"
        headers = {k.lower(): v for k, v in other.requests[0][2].items()}
        assert "authorization" not in headers and "x-goog-api-key" not in headers


def test_basic_auth_is_not_sent_to_another_origin():
    with standin.serving({"/": standin.answer(200, {})}) as other:
        with standin.serving({"/": standin.redirect(other.url("/"), 307)}) as first:
            client().post_json(first.url("/"), auth=("client", "secret"), data={"grant_type": "x"})
        assert "Authorization" in first.requests[0][2]
        assert "Authorization" not in other.requests[0][2]
        assert other.requests[0][0] == "POST"  # 307 keeps the method


# ---------------------------------------------------------- 6. size, deadline


def test_body_larger_than_the_cap_is_refused():
    body = b"[" + b"1," * 60_000 + b"1]"
    with standin.serving({"/": standin.answer(200, body)}) as server:
        with pytest.raises(PayloadError, match="more than"):
            client(max_bytes=100_000).get_json(server.url("/"))
        assert len(client(max_bytes=200_000).get_json(server.url("/"))) == 60_001


def test_chunked_body_without_length_is_capped_while_streaming():
    def chunks():
        for _ in range(200):  # 200 x 64 KB = 12.8 MB, more than the default cap
            yield b" " * 65536

    with standin.serving({"/": standin.stream(chunks)}) as server:
        with pytest.raises(PayloadError, match="more than 10 MB"):
            client().request("GET", server.url("/"))


def _gzip_bomb(size):
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1024 * 1024)
    parts = [compressor.compress(block) for _ in range(size // len(block))]
    return b"".join(parts) + compressor.flush()


def test_gzip_bomb_stops_at_the_cap_without_expanding():
    bomb = _gzip_bomb(64 * 1024 * 1024)  # 64 MB of zeros in about 64 KB
    assert len(bomb) < 256 * 1024
    route = standin.answer(200, bomb, {"Content-Encoding": "gzip"})
    with standin.serving({"/": route}) as server:
        tracemalloc.start()
        try:
            with pytest.raises(PayloadError, match="more than 10 MB"):
                client().request("GET", server.url("/"))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert peak < 32 * 1024 * 1024  # the old client expanded all 64 MB


def test_gzip_body_within_the_cap_is_decoded():
    body = json.dumps({"items": list(range(1000))}).encode()
    route = standin.answer(200, gzip.compress(body), {"Content-Encoding": "gzip"})
    with standin.serving({"/": route}) as server:
        assert client().get_json(server.url("/"))["items"][-1] == 999


def test_stacked_or_unknown_encodings_are_refused():
    inner = gzip.compress(gzip.compress(b"{}"))
    with standin.serving({"/": standin.answer(200, inner, {"Content-Encoding": "gzip, gzip"})}) as server:
        with pytest.raises(PayloadError, match="content encoding"):
            client().request("GET", server.url("/"))


def test_a_slow_drip_is_cut_at_the_deadline():
    # one byte every 0.5 s for 30 s: each read is within the read timeout
    with standin.serving({"/": standin.drip(60, 0.5)}) as server:
        with pytest.raises(TransientError, match="did not finish within 2s"):
            client(deadline=2, timeout=(2, 2)).get_json(server.url("/"))
        assert len(server.requests) == 1


def test_a_read_timeout_is_not_retried():
    with standin.serving({"/": standin.silent(3)}) as server:
        with pytest.raises(TransientError, match="read timeout"):
            client(timeout=(2, 0.5), max_retries=3).get_json(server.url("/"))
        assert len(server.requests) == 1


# ------------------------------------------------------------------ 8. waits


def test_absurd_waits_are_clamped_to_a_day():
    assert parse_reset("1e20", NOW) == MAX_WAIT
    assert parse_reset("inf", NOW) == MAX_WAIT
    assert parse_reset("nan", NOW) is None
    assert parse_reset("-1e20", NOW) == 0
    assert parse_reset("Fri, 31 Dec 9999 23:59:59 GMT", NOW) == MAX_WAIT
    assert parse_reset("9999-12-31T23:59:59Z", NOW) == MAX_WAIT


@responses.activate
def test_retry_after_1e20_is_a_one_day_rate_limit():
    responses.add("GET", "https://api.example/x", status=429, headers={"Retry-After": "1e20"}, json={})
    with pytest.raises(RateLimitedError) as info:
        client().get_json("https://api.example/x")
    assert info.value.retry_after == MAX_WAIT


@responses.activate
def test_an_absurd_reset_on_a_success_blocks_for_a_day_at_most():
    headers = {"x-rate-limit-remaining": "0", "x-rate-limit-reset": "1e300"}
    responses.add("GET", "https://api.example/x", json={}, headers=headers)
    http = client()
    assert http.get_json("https://api.example/x") == {}
    with pytest.raises(RateLimitedError) as info:
        http.get_json("https://api.example/x")
    assert info.value.retry_after == MAX_WAIT


# ------------------------------------------------------------ 2. secrets


def test_display_url_drops_query_and_user_info():
    assert display_url("https://u:p@h.example/a/b?key=SECRET#x") == "https://h.example/a/b"


def test_redact_known_secret_names_and_values():
    text = (
        'GET /x?access_token=EAAB123&key=AIza999 {"password": "hunter22", "client_secret": "cs-1"} '
        "Authorization: Bearer abc.def-ghi token=t0k3n; app secret s3cr3t-value"
    )
    clean = redact(text, values=("s3cr3t-value",))
    for secret in ("EAAB123", "AIza999", "hunter22", "cs-1", "abc.def-ghi", "t0k3n", "s3cr3t-value"):
        assert secret not in clean
    assert "access_token=[redacted]" in clean


def test_errors_never_quote_the_query_or_an_echoed_secret():
    echo = {"error": {"message": "Invalid OAuth access token: access_token=EAAB-SECRET"}}
    with standin.serving({"/graph": standin.answer(400, echo)}) as server:
        with pytest.raises(ConnectorError) as info:
            client().get_json(server.url("/graph?access_token=EAAB-SECRET&key=AIza-SECRET"))
    message = str(info.value)
    assert "SECRET" not in message and "/graph" in message and "HTTP 400" in message


def test_network_errors_are_generic_and_without_query():
    with pytest.raises(TransientError) as info:
        client(max_retries=1).get_json("http://127.0.0.1:9/feed?key=AIza-SECRET")
    assert str(info.value) == "GET http://127.0.0.1:9/feed failed after 2 attempts (could not connect)"


@responses.activate
def test_youtube_key_and_graph_token_travel_as_headers():
    responses.add("GET", "https://www.googleapis.com/youtube/v3/commentThreads", status=400, json={})
    responses.add("GET", "https://graph.facebook.com/v21.0/42/comments", status=400, json={})
    http = client(max_retries=0)
    with pytest.raises(ConnectorError) as yt_error:
        get_connector("youtube", {"api_key": "AIza-SECRET"}, http=http).fetch_page(Query(mode="comments", target="v1"))
    with pytest.raises(ConnectorError) as fb_error:
        get_connector("facebook", {"access_token": "EAAB-SECRET"}, http=http).fetch_page(
            Query(mode="comments", target="42")
        )
    yt_request, fb_request = (call.request for call in responses.calls)
    assert "SECRET" not in yt_request.url and yt_request.headers["X-goog-api-key"] == "AIza-SECRET"
    assert "SECRET" not in fb_request.url and fb_request.headers["Authorization"] == "Bearer EAAB-SECRET"
    assert "SECRET" not in str(yt_error.value) + str(fb_error.value)
