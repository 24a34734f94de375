"""Every connector, replayed against responses recorded from the real services."""

import datetime
from urllib.parse import parse_qs, urlparse

import pytest
import responses

from social_crm.connectors import (
    CONNECTORS,
    AuthenticationError,
    ConfigurationError,
    ConnectorError,
    HttpClient,
    Mention,
    PayloadError,
    Query,
    RateLimitedError,
    get_connector,
    split_terms,
)
from social_crm.connectors.base import MAX_TEXT_LENGTH, html_to_text
from social_crm.tests import replay


def connector(platform, **settings):
    http = HttpClient(sleep=lambda seconds: None, max_retries=1)
    return get_connector(platform, settings, http=http)


def params(call_index=-1):
    return {k: v[-1] for k, v in parse_qs(urlparse(responses.calls[call_index].request.url).query).items()}


def check_shape(mentions, platform):
    assert mentions, "expected mentions"
    for mention in mentions:
        assert isinstance(mention, Mention)
        assert mention.platform == platform
        assert mention.external_id
        assert isinstance(mention.text, str)
        assert mention.posted_at is None or mention.posted_at.tzinfo is not None
    assert len({m.external_id for m in mentions}) == len(mentions)


# ---------------------------------------------------------------- generic


def test_registry_has_every_platform():
    assert set(CONNECTORS) == {
        "rss",
        "mastodon",
        "x",
        "bluesky",
        "reddit",
        "hackernews",
        "youtube",
        "facebook",
        "instagram",
    }
    with pytest.raises(ConfigurationError):
        get_connector("myspace")


def test_split_terms_and_query():
    assert split_terms("acme, #Acme Support\n@acme_help\n\nacme") == ("acme", "Acme Support", "acme_help")
    query = Query(keywords=("acme", "acme support"), hashtags=("acme",), handles=("acme_help",))
    assert query.search_string() == 'acme OR "acme support" OR #acme OR @acme_help'
    assert query.matches("I love ACME")
    assert not query.matches("nothing here")
    assert Query().matches("anything")


def test_html_to_text():
    assert html_to_text("<p>Hi <a href='x'>@acme</a></p><p>&amp; bye</p>") == "Hi @acme\n& bye"
    assert html_to_text("plain &amp; simple") == "plain & simple"
    assert html_to_text("") == ""


def test_bad_text_is_made_storable():
    rss = get_connector("rss")
    huge = rss.mention(external_id="1", text="x" * (MAX_TEXT_LENGTH * 3) + "\x00")
    assert len(huge.text) == MAX_TEXT_LENGTH and huge.text.endswith("[…]")
    assert "\x00" not in rss.mention(external_id="2", text="a\x00b").text
    emoji_only = rss.mention(external_id="3", text="🔥🔥🙏")
    assert emoji_only.text == "🔥🔥🙏"


def test_malformed_items_are_skipped_not_fatal(caplog):
    x = get_connector("x")
    payload = {"data": [{"id": "1", "text": "ok"}, {"id": "2", "text": "bad", "referenced_tweets": 5}, "garbage"]}
    mentions = x.parse(payload)
    assert [m.external_id for m in mentions] == ["1"]
    assert "skipped a malformed item (TypeError" in caplog.text


def test_missing_credentials_is_a_configuration_error():
    with pytest.raises(ConfigurationError, match="access_token"):
        connector("x").fetch_page(Query(keywords=("acme",)))
    with pytest.raises(ConfigurationError, match="api_key"):
        connector("youtube").fetch_page(Query(mode="comments", target="vid"))
    with pytest.raises(ConfigurationError, match="mode"):
        connector("hackernews").fetch_page(Query(mode="mentions"))
    with pytest.raises(ConfigurationError, match="needs keywords"):
        connector("hackernews").fetch_page(Query(mode="search"))


# ---------------------------------------------------------------------- X

X_SEARCH = "https://api.twitter.com/2/tweets/search/recent"


@responses.activate
def test_x_search_first_run_reads_one_page_and_sets_since():
    replay.add(responses, "GET", X_SEARCH, "x/tweepy/test_client_search_recent_tweets__00.json")
    x = connector("x", access_token="token")
    page = x.fetch_page(Query(keywords=("Tweepy",)))
    check_shape(page.mentions, "x")
    assert len(page.mentions) == 10
    assert page.done  # no back-fill of history on the first run
    assert page.cursor == {"since": "1578516068309794817"}
    sent = params()
    assert sent["query"] == "(Tweepy) -is:retweet"
    assert "since_id" not in sent
    assert responses.calls[0].request.headers["Authorization"] == "Bearer token"


@responses.activate
def test_x_catch_up_pages_keep_the_old_cursor_until_done():
    replay.add(responses, "GET", X_SEARCH, "x/tweepy/test_client_search_recent_tweets__00.json")
    x = connector("x", access_token="token")
    page = x.fetch_page(Query(keywords=("Tweepy",)), {"since": "1578500000000000000"})
    assert not page.done
    assert page.cursor == {
        "since": "1578500000000000000",
        "newest": "1578516068309794817",
        "page": "b26v89c19zqg8o3fpzbn1e0ffhxjiofzw6po136rvbnul",
    }
    assert params()["since_id"] == "1578500000000000000"
    # resuming sends the page token and keeps since; the recorded page is the
    # same, so every mention is now at or below "newest"... and all are kept
    replay.add(responses, "GET", X_SEARCH, "x/tweepy/test_client_search_recent_tweets__00.json")
    x.fetch_page(Query(keywords=("Tweepy",)), page.cursor)
    assert params()["next_token"] == "b26v89c19zqg8o3fpzbn1e0ffhxjiofzw6po136rvbnul"


@responses.activate
def test_x_stops_paging_when_it_reaches_known_mentions():
    replay.add(responses, "GET", X_SEARCH, "x/tweepy/test_client_search_recent_tweets__00.json")
    x = connector("x", access_token="token")
    page = x.fetch_page(Query(keywords=("Tweepy",)), {"since": "1578514055010324480"})
    assert page.done
    assert len(page.mentions) == 4  # only the ones newer than the cursor
    assert page.cursor == {"since": "1578516068309794817"}


@responses.activate
def test_x_mentions_timeline_and_emoji_surrogates():
    url = "https://api.twitter.com/2/users/783214/mentions"
    replay.add(responses, "GET", url, "x/tweepy/test_client_get_users_mentions__00.json")
    x = connector("x", access_token="token", account_ref="783214")
    page = x.fetch_page(Query(mode="mentions"))
    check_shape(page.mentions, "x")
    texts = " ".join(m.text for m in page.mentions)
    assert "\\u" not in texts and "\ud83e" not in texts  # surrogate pairs decoded to real emoji


def test_x_parses_expanded_pages_with_authors():
    with open(replay.path("x/twarc-csv/streaming_output_with_error.jsonl"), "rb") as handle:
        first = handle.readline()
    mentions = get_connector("x").parse(first)
    check_shape(mentions, "x")
    assert mentions[0].author.handle and mentions[0].author.followers is not None
    assert mentions[0].url.startswith("https://x.com/")


@responses.activate
def test_x_bad_credentials():
    replay.add(responses, "GET", X_SEARCH, "x/rtweet/friends8__00.json")
    with pytest.raises(AuthenticationError, match="Not authorized"):
        connector("x", access_token="bad").fetch_page(Query(keywords=("acme",)))


def test_x_query_too_long():
    x = get_connector("x", {"access_token": "t"})
    with pytest.raises(ConfigurationError, match="512"):
        x.build_query(Query(keywords=tuple(f"keyword{i}" for i in range(60))))


# --------------------------------------------------------------- Mastodon

MASTO_TAG = "https://mastodon.social/api/v1/timelines/tag/ichbinhanna"


@responses.activate
def test_mastodon_hashtag_timeline_follows_link_header():
    replay.add(responses, "GET", MASTO_TAG, "mastodon/rtoot/get_timeline_hashtag_anonymous__00.json")
    masto = connector("mastodon", base_url="https://mastodon.social")
    page = masto.fetch_page(Query(mode="hashtag", hashtags=("ichbinhanna",)), {"since": "109300000000000000"})
    check_shape(page.mentions, "mastodon")
    assert not page.done
    assert "max_id=109302354165120279" in page.cursor["page"]
    assert params()["since_id"] == "109300000000000000"
    first = page.mentions[0]
    assert first.external_id.startswith("https://mastodon.social/users/")  # global URI, not a local id
    assert "<" not in first.text and first.language == "de"
    assert first.author.followers is not None


def test_mastodon_refuses_paging_links_to_other_hosts():
    masto = connector("mastodon", base_url="https://mastodon.social")
    with pytest.raises(ConfigurationError, match="another host"):
        masto.fetch_page(
            Query(mode="hashtag", hashtags=("x",)),
            {"since": "1", "page": "https://evil.example/api/v1/timelines/tag/x"},
        )


def test_mastodon_parses_search_and_notifications():
    masto = get_connector("mastodon")
    search = masto.parse(replay.body("mastodon/mastodon.py/test_entity_searchv2__02.json"))
    check_shape(search, "mastodon")
    notifications = masto.parse(replay.body("mastodon/mastodon.py/test_entity_notification__00.json"))
    assert all(m.raw["id"] for m in notifications)  # only type=mention notifications kept
    mentions_only = masto.parse(replay.body("mastodon/mastodon.py/test_notifications_mentions_only__01.json"))
    check_shape(mentions_only, "mastodon")
    assert masto.parse(replay.body("mastodon/mastodon.py/test_min_max_id__02.json")) == []


@responses.activate
def test_mastodon_invalid_token():
    replay.add(
        responses,
        "GET",
        "https://mastodon.social/api/v1/notifications",
        "mastodon/mastodon.py/test_unauthed_home_tl_throws__01.json",
    )
    with pytest.raises(AuthenticationError, match="access token is invalid"):
        connector("mastodon", access_token="bad").fetch_page(Query(mode="mentions"))


def test_mastodon_search_needs_a_token():
    with pytest.raises(ConfigurationError, match="token"):
        connector("mastodon").fetch_page(Query(mode="search", keywords=("acme",)))


# ---------------------------------------------------------------- Bluesky

BSKY_SEARCH = "https://public.api.bsky.app/xrpc/app.bsky.feed.searchPosts"


@responses.activate
def test_bluesky_search_with_cursor_and_since():
    replay.add(responses, "GET", BSKY_SEARCH, "bluesky/bskyr/f_search__00.json")
    bsky = connector("bluesky")
    since = datetime.datetime(2025, 5, 1, tzinfo=datetime.timezone.utc).timestamp()
    page = bsky.fetch_page(Query(keywords=("redistricting",)), {"since": since})
    check_shape(page.mentions, "bluesky")
    assert params()["since"] == "2025-05-01T00:00:00.000000Z"
    assert params()["sort"] == "latest"
    assert page.cursor["page"] == "25" and not page.done
    first = page.mentions[0]
    assert first.external_id.startswith("at://")
    assert first.url.startswith("https://bsky.app/profile/")


def test_bluesky_notifications_keep_mentions_replies_quotes():
    mentions = get_connector("bluesky").parse(replay.body("bluesky/bskyr/n_notifications__00.json"))
    check_shape(mentions, "bluesky")
    assert {m.raw["reason"] for m in mentions} <= {"mention", "reply", "quote"}


@responses.activate
def test_bluesky_wrong_app_password():
    replay.add(
        responses,
        "POST",
        "https://bsky.social/xrpc/com.atproto.server.createSession",
        "bluesky/bskyr/repo_auth_cache__00.json",
    )
    bsky = connector("bluesky", username="acme.bsky.social", password="wrong")
    with pytest.raises(AuthenticationError, match="Invalid identifier or password"):
        bsky.fetch_page(Query(mode="mentions"))


# ----------------------------------------------------------------- Reddit


@responses.activate
def test_reddit_public_search_listing():
    replay.add(responses, "GET", "https://www.reddit.com/search.json", "reddit/praw/TestSubreddit.test_search__01.json")
    page = connector("reddit").fetch_page(Query(keywords=("praw",)))
    check_shape(page.mentions, "reddit")
    assert params()["sort"] == "new"
    assert page.mentions[0].url.startswith("https://www.reddit.com/r/")


@responses.activate
def test_reddit_subreddit_comments_with_after_then_empty_listing():
    url = "https://www.reddit.com/r/all/comments.json"
    replay.add(responses, "GET", url, "reddit/praw/TestSubredditStreams.test_comments__01.json")
    replay.add(responses, "GET", url, "reddit/praw/TestSubredditStreams.test_comments__02.json")
    reddit = connector("reddit")
    since = datetime.datetime(2016, 12, 22, 2, 0, tzinfo=datetime.timezone.utc).timestamp()
    page = reddit.fetch_page(Query(mode="subreddit", target="r/all"), {"since": since})
    check_shape(page.mentions, "reddit")
    assert page.cursor["page"] == "t1_dbhn0yk" and not page.done
    second = reddit.fetch_page(Query(mode="subreddit", target="r/all"), page.cursor)
    assert params()["after"] == "t1_dbhn0yk"
    assert second.mentions == [] and second.done
    assert second.cursor == {"since": page.cursor["newest"]}


def test_reddit_skips_deleted_and_reads_mentions_inbox():
    reddit = get_connector("reddit")
    assert reddit.parse(replay.body("reddit/praw/TestComment.test_refresh__deleted_comment__01.json")) == []
    mentions = reddit.parse(replay.body("reddit/praw/TestInbox.test_mentions__01.json"))
    check_shape(mentions, "reddit")
    assert "context=3" in mentions[0].url


@responses.activate
def test_reddit_oauth_token_and_invalid_token():
    responses.add("POST", "https://www.reddit.com/api/v1/access_token", json={"access_token": "app-token"})
    replay.add(
        responses,
        "GET",
        "https://oauth.reddit.com/search",
        "reddit/prawcore/TestSession.test_request__with_invalid_access_token__01.json",
    )
    reddit = connector("reddit", client_id="id", client_secret="secret")
    with pytest.raises(AuthenticationError):
        reddit.fetch_page(Query(keywords=("acme",)))
    assert responses.calls[1].request.headers["Authorization"] == "bearer app-token"


@responses.activate
def test_reddit_429_html_body_with_retry_after():
    for _ in range(3):
        replay.add(
            responses,
            "GET",
            "https://www.reddit.com/search.json",
            "reddit/prawcore/TestSession.test_request__too__many_requests__with_retry_headers__01.html",
        )
    http = HttpClient(sleep=lambda s: None, max_retries=1, max_wait=1)
    with pytest.raises(RateLimitedError) as info:
        get_connector("reddit", http=http).fetch_page(Query(keywords=("acme",)))
    assert info.value.retry_after == 4


# ------------------------------------------------------------ Hacker News

HN = "https://hn.algolia.com/api/v1/search_by_date"


@responses.activate
def test_hackernews_pages_until_the_last_empty_page():
    replay.add(responses, "GET", HN, "hackernews/hiringtrends/returns_the_correct_result__00.json")
    replay.add(responses, "GET", HN, "hackernews/hiringtrends/returns_the_correct_result__08.json")
    hn = connector("hackernews")
    since = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc).timestamp()
    page = hn.fetch_page(Query(keywords=("hiring",)), {"since": since})
    check_shape(page.mentions, "hackernews")
    assert params()["numericFilters"] == f"created_at_i>{int(since)}"
    assert page.cursor["page"] == "1"
    last = hn.fetch_page(Query(keywords=("hiring",)), dict(page.cursor, page="8"))
    assert last.mentions == [] and last.done
    assert "&#x2F;" not in page.mentions[0].text  # HTML entities decoded


# ---------------------------------------------------------------- YouTube

YT = "https://www.googleapis.com/youtube/v3/commentThreads"


@responses.activate
def test_youtube_comment_threads_paging():
    replay.add(
        responses, "GET", YT, "youtube/sns-python-youtube/comment_threads__comment_threads_by_video_paged_1.json"
    )
    replay.add(
        responses, "GET", YT, "youtube/sns-python-youtube/comment_threads__comment_threads_by_video_paged_2.json"
    )
    yt = connector("youtube", api_key="key")
    page = yt.fetch_page(Query(mode="comments", target="F1UP7wRCPH8"), {"since": 0.5})
    check_shape(page.mentions, "youtube")
    assert params()["videoId"] == "F1UP7wRCPH8" and "key" not in params()
    assert responses.calls[-1].request.headers["X-goog-api-key"] == "key"
    assert not page.done
    second = yt.fetch_page(Query(mode="comments", target="F1UP7wRCPH8"), page.cursor)
    assert params()["pageToken"] == page.cursor["page"]
    assert second.done
    assert page.mentions[0].url == "https://www.youtube.com/watch?v=F1UP7wRCPH8&lc=UgyZ1jqkHKYvi1-ruOZ4AaABAg"


def test_youtube_channel_threads_and_replies():
    yt = get_connector("youtube")
    check_shape(
        yt.parse(replay.body("youtube/sns-python-youtube/comment_threads__comment_threads_all_to_me.json")), "youtube"
    )
    replies = yt.parse(replay.body("youtube/sns-python-youtube/comments__comments_by_parent_paged_1.json"))
    check_shape(replies, "youtube")
    assert all(m.parent_id for m in replies)


@responses.activate
def test_youtube_errors():
    replay.add(responses, "GET", YT, "youtube/sns-python-youtube/apidata__error_permission_resp.json", status=403)
    with pytest.raises(AuthenticationError, match="caller does not have permission"):
        connector("youtube", api_key="k").fetch_page(Query(mode="comments", target="v"))
    replay.add(responses, "GET", YT, "youtube/sns-python-youtube/testdata__error_response.json", status=400)
    with pytest.raises(ConnectorError, match="keyInvalid"):
        connector("youtube", api_key="k").fetch_page(Query(mode="comments", target="v"))


# ------------------------------------------------------- Facebook / Instagram

GRAPH = "https://graph.facebook.com/v21.0"


@responses.activate
def test_facebook_comments_paging_and_ids_from_permalinks():
    url = f"{GRAPH}/19292868552_10158407654328553/comments"
    replay.add(responses, "GET", url, "facebook/sns-python-facebook/comments__comments_p1.json")
    replay.add(responses, "GET", url, "facebook/sns-python-facebook/comments__comments_p2.json")
    fb = connector("facebook", access_token="page-token")
    query = Query(mode="comments", target="19292868552_10158407654328553")
    page = fb.fetch_page(query, {"since": 1600000000})
    check_shape(page.mentions, "facebook")
    assert params()["since"] == "1600000000" and "access_token" not in params()
    assert responses.calls[-1].request.headers["Authorization"] == "Bearer page-token"
    assert page.cursor["page"] == "after"
    assert page.mentions[0].external_id == "10158407835073553"  # no id field: taken from the permalink
    reply = page.mentions[5]
    assert (reply.external_id, reply.parent_id) == ("10158409983033553", "10158407903973553")
    second = fb.fetch_page(query, page.cursor)
    assert params()["after"] == "after"
    assert second.done


@responses.activate
def test_facebook_permission_error():
    replay.add(responses, "GET", f"{GRAPH}/123/feed", "facebook/sns-python-facebook/base__error_data.json", status=400)
    with pytest.raises(AuthenticationError, match="pages_read_engagement"):
        connector("facebook", access_token="t", account_ref="123").fetch_page(Query(mode="feed"))


@responses.activate
def test_instagram_hashtag_search_then_recent_media():
    replay.add(
        responses, "GET", f"{GRAPH}/ig_hashtag_search", "instagram/sns-python-facebook/users__hashtag_search.json"
    )
    replay.add(
        responses,
        "GET",
        f"{GRAPH}/17841562426109234/recent_media",
        "instagram/sns-python-facebook/hashtags__hashtag_recent_medias_p1.json",
    )
    ig = connector("instagram", access_token="t", account_ref="17841406338772941")
    page = ig.fetch_page(Query(mode="hashtag", hashtags=("developers",)))
    check_shape(page.mentions, "instagram")
    assert params(0)["q"] == "developers"


def test_instagram_tags_mentions_and_comments():
    ig = get_connector("instagram")
    check_shape(ig.parse(replay.body("instagram/sns-python-facebook/users__tagged_medias.json")), "instagram")
    mentioned = ig.parse(replay.body("instagram/sns-python-facebook/users__mentioned_media.json"))
    assert mentioned[0].text == "@ikroskun hey"
    comments = ig.parse(replay.body("instagram/sns-python-facebook/medias__comments_p2.json"))
    assert [m.text for m in comments] == ["@ikroskun  Hey, guys", "@ikroskun"]


# -------------------------------------------------------------------- RSS

FEED = "https://daringfireball.net/feeds/main"


@pytest.mark.parametrize(
    "fixture, count",
    [
        ("rss/rsparser/DaringFireball.atom", 48),
        ("rss/rsparser/inessential.json", 20),
        ("rss/rsparser/bio.rdf", 30),
        ("rss/rsparser/aktuality.rss", 30),
        ("rss/feed-rs/rss1__rss_1.0_iso8859.xml", 1),
        ("rss/feed-rs/atom__atom_mediarss_youtube_1.xml", 1),
        ("rss/feed-rs/jsonfeed__jsonfeed_example_1.json", 2),
        ("rss/feedparser/koi8r.xml", 1),
    ],
)
def test_rss_parses_every_feed_format(fixture, count):
    mentions = get_connector("rss").parse(replay.body(fixture), feed_url="https://example.org/feed")
    check_shape(mentions, "rss")
    assert len(mentions) == count
    assert all(m.title or m.text for m in mentions)


def test_rss_non_utf8_feeds_are_decoded():
    (golem,) = get_connector("rss").parse(replay.body("rss/feed-rs/rss1__rss_1.0_iso8859.xml"))
    assert "Glasfaserförder" in golem.title
    (koi8,) = get_connector("rss").parse(replay.body("rss/feedparser/koi8r.xml"))
    assert "Как пережить" in koi8.title


def test_rss_broken_feeds_are_recovered_or_refused():
    rss = get_connector("rss")
    # a feed cut short by the server: lxml (present with Odoo) recovers what it can,
    # which here is no entry; without lxml the feed is refused with a clear error
    try:
        recovered = rss.parse(replay.body("rss/feed-rs/rss2__rss_2.0_invalid_1.xml"))
    except PayloadError as err:
        assert "not well-formed" in str(err)
    else:
        assert recovered == []
    with pytest.raises(PayloadError):
        rss.parse(b"")
    with pytest.raises(PayloadError, match="Not a feed"):
        rss.parse(b"<html><body>not a feed</body></html>")


@responses.activate
def test_rss_keywords_filter_and_conditional_get():
    replay.add(responses, "GET", FEED, "rss/rsparser/DaringFireball.atom", headers={"ETag": '"v1"'})
    responses.add("GET", FEED, status=304)
    rss = connector("rss")
    query = Query(mode="feed", target=FEED, keywords=("Apple",))
    page = rss.fetch_page(query)
    assert page.mentions and all("apple" in (m.title + m.text).lower() for m in page.mentions)
    assert len(page.mentions) < 48
    assert page.cursor["etag"] == '"v1"'
    again = rss.fetch_page(query, page.cursor)
    assert responses.calls[1].request.headers["If-None-Match"] == '"v1"'
    assert again.mentions == [] and again.cursor == page.cursor


def test_rss_needs_a_feed_url():
    with pytest.raises(ConfigurationError, match="feed URL"):
        get_connector("rss").fetch_page(Query(mode="feed", target="not a url"))
