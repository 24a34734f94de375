from datetime import timedelta, timezone
from unittest.mock import patch

import psycopg2.errors

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SocialCrmCase

X_SEARCH = "https://api.twitter.com/2/tweets/search/recent"
YT = "https://www.googleapis.com/youtube/v3/commentThreads"
YT_P1 = "youtube/sns-python-youtube/comment_threads__comment_threads_by_video_paged_1.json"
YT_P2 = "youtube/sns-python-youtube/comment_threads__comment_threads_by_video_paged_2.json"
X_PAGE = "x/tweepy/test_client_search_recent_tweets__00.json"
HN = "https://hn.algolia.com/api/v1/search_by_date"
HN_P0 = "hackernews/hiringtrends/returns_the_correct_result__00.json"
HN_P1 = "hackernews/hiringtrends/returns_the_correct_result__01.json"
HN_LAST = "hackernews/hiringtrends/returns_the_correct_result__08.json"
UTC = timezone.utc


@tagged("post_install", "-at_install")
class TestIngestion(SocialCrmCase):
    def test_cron_stores_mentions_and_advances_the_cursor(self):
        self.yt_account.active = False
        with self.replaying() as mock:
            self.add(mock, "GET", X_SEARCH, X_PAGE)
            self.pull()
        mentions = self.Mention.search([("stream_id", "=", self.x_stream.id)])
        self.assertEqual(len(mentions), 10)
        self.assertEqual(set(mentions.mapped("platform")), {"x"})
        self.assertEqual(self.x_stream.cursor, {"since": "1578516068309794817"})
        self.assertEqual(self.x_account.state, "ok")
        self.assertFalse(self.x_account.last_error)
        self.assertTrue(self.x_account.next_pull_at > fields.Datetime.now())
        first = mentions.filtered(lambda m: m.external_id == "1578516068309794817")
        self.assertEqual(first.text, "2022-10-07 22:42:12.637103 tweepy")
        self.assertEqual(first.url, "https://x.com/i/web/status/1578516068309794817")
        self.assertEqual(first.raw_payload["id"], "1578516068309794817")
        self.assertEqual(first.state, "new")

    def test_rerun_creates_no_duplicates(self):
        self.yt_account.active = False
        with self.replaying() as mock:
            self.add(mock, "GET", X_SEARCH, X_PAGE)
            self.pull()
            # same page again (e.g. cursor lost): the unique key makes it a no-op
            self.x_stream.sudo().cursor = False
            self.x_account.next_pull_at = False
            self.add(mock, "GET", X_SEARCH, X_PAGE)
            self.pull()
        self.assertEqual(self.Mention.search_count([("platform", "=", "x")]), 10)
        self.assertEqual(self.x_account.state, "ok")

    def _only(self, account):
        self.Account.search([]).write({"active": False})
        account.active = True

    def test_multi_page_catch_up(self):
        self._only(self.hn_account)
        self.hn_stream.sudo().cursor = {"since": 1.0}
        with self.replaying() as mock:
            self.add(mock, "GET", HN, HN_P0)
            self.add(mock, "GET", HN, HN_P1)
            self.add(mock, "GET", HN, HN_LAST)
            self.pull()
            self.assertEqual(len(mock.calls), 3)
            self.assertIn("page=1", mock.calls[1].request.url)
        mentions = self.Mention.search([("stream_id", "=", self.hn_stream.id)])
        self.assertEqual(len(mentions), 40)
        newest = max(mentions.mapped("posted_at"))
        self.assertEqual(self.hn_stream.cursor, {"since": newest.replace(tzinfo=UTC).timestamp()})
        author = mentions.mapped("author_id")
        self.assertEqual(author.mapped("external_key"), ["whoishiring"])  # one identity, many mentions
        self.assertEqual(author.mention_count, 40)

    def test_pages_repeating_items_are_deduplicated(self):
        """The recorded YouTube page 2 repeats page 1's threads: stored once."""
        self._only(self.yt_account)
        self.yt_stream.sudo().cursor = {"since": 1.0}
        with self.replaying() as mock:
            self.add(mock, "GET", YT, YT_P1)
            self.add(mock, "GET", YT, YT_P2)
            self.pull()
        self.assertEqual(self.Mention.search_count([("stream_id", "=", self.yt_stream.id)]), 5)
        self.assertEqual(set(self.yt_stream.cursor), {"since"})
        authors = self.Mention.search([("stream_id", "=", self.yt_stream.id)]).mapped("author_id")
        self.assertTrue(authors and all(a.platform == "youtube" and a.external_key for a in authors))

    def test_crash_between_pages_loses_nothing_and_resumes(self):
        """Page 1 is stored with its cursor; page 2 fails; the next run resumes
        from page 2 and stores it without duplicating page 1."""
        self._only(self.hn_account)
        self.hn_stream.sudo().cursor = {"since": 1.0}
        with self.replaying() as mock, patch("time.sleep") as sleep:
            self.add(mock, "GET", HN, HN_P0)
            for _attempt in range(5):
                mock.add("GET", HN, status=503, json={"message": "Backend Error"})
            self.pull()
            self.assertEqual(sleep.call_count, 3)  # retried with backoff before giving up
        self.assertEqual(self.hn_account.state, "retrying")  # an outage, not a configuration error
        self.assertIn("HTTP 503", self.hn_account.last_error)
        self.assertEqual(self.Mention.search_count([("stream_id", "=", self.hn_stream.id)]), 20)
        cursor = self.hn_stream.cursor
        self.assertEqual(cursor["since"], 1.0)  # not advanced past unread pages
        self.assertEqual(cursor["page"], "1")
        self.hn_account.next_pull_at = False
        with self.replaying() as mock:
            self.add(mock, "GET", HN, HN_P1)
            self.add(mock, "GET", HN, HN_LAST)
            self.pull()
            self.assertIn("page=1", mock.calls[0].request.url)
        self.assertEqual(self.hn_account.state, "ok")
        self.assertEqual(self.Mention.search_count([("stream_id", "=", self.hn_stream.id)]), 40)
        self.assertEqual(set(self.hn_stream.cursor), {"since"})

    def test_one_failing_account_does_not_block_the_others(self):
        with self.replaying() as mock:
            self.add(mock, "GET", X_SEARCH, "x/rtweet/friends8__00.json")  # 401
            self.add(mock, "GET", YT, YT_P1)
            self.pull()
        self.assertEqual(self.x_account.state, "error")
        self.assertIn("Not authorized", self.x_account.last_error)
        self.assertEqual(self.x_account.error_count, 1)
        self.assertEqual(self.yt_account.state, "ok")
        self.assertEqual(self.Mention.search_count([("account_id", "=", self.yt_account.id)]), 5)
        # the failing account backs off instead of hammering the platform
        self.assertTrue(self.x_account.next_pull_at >= fields.Datetime.now() + timedelta(minutes=14))

    def test_unexpected_error_is_isolated_too(self):
        self.yt_account.active = False
        with self.replaying() as mock:
            self.add(mock, "GET", X_SEARCH, X_PAGE)
            with (
                patch.object(type(self.Mention), "_prepare_vals", side_effect=KeyError("boom")),
                self.assertLogs("odoo.addons.social_crm.models.social_crm_account", level="ERROR"),
            ):
                self.pull()
        self.assertEqual(self.x_account.state, "error")
        self.assertIn("boom", self.x_account.last_error)
        self.assertFalse(self.x_stream.cursor)  # nothing stored, nothing skipped
        self.assertEqual(self.Mention.search_count([("platform", "=", "x")]), 0)

    def test_concurrent_update_is_not_an_account_error(self):
        """Another worker updating the same rows (an author) makes PostgreSQL refuse
        the page: it is rolled back and read again on the next run, the account is
        not put in error. (Without the cron's commits, as in tests, it propagates.)"""
        self.yt_account.active = False
        conflict = psycopg2.errors.SerializationFailure("could not serialize access due to concurrent update")
        with patch.object(type(self.Mention), "_ingest", side_effect=conflict):
            with self.replaying() as mock, self.assertRaises(psycopg2.errors.SerializationFailure):
                self.add(mock, "GET", X_SEARCH, X_PAGE)
                self.x_account._pull(auto_commit=False)
            with (
                self.replaying() as mock,
                patch.object(self.env.cr, "rollback") as rollback,
            ):
                self.add(mock, "GET", X_SEARCH, X_PAGE)
                self.assertEqual(self.x_account._pull(auto_commit=True), 0)
        rollback.assert_called_once()
        self.assertNotEqual(self.x_account.state, "error")
        self.assertFalse(self.x_account.error_count)
        self.assertFalse(self.x_stream.cursor)

    def test_rate_limited_account_waits(self):
        self.yt_account.active = False
        with self.replaying() as mock:
            for _attempt in range(5):
                self.add(
                    mock,
                    "GET",
                    X_SEARCH,
                    "reddit/prawcore/TestSession.test_request__too__many_requests__with_retry_headers__01.html",
                    headers={"retry-after": "120"},
                )
            self.pull()
        self.assertEqual(self.x_account.state, "rate_limited")
        wait = (self.x_account.next_pull_at - fields.Datetime.now()).total_seconds()
        self.assertTrue(100 <= wait <= 125, wait)

    def test_accounts_not_due_are_not_pulled(self):
        self.Account.search([]).write({"next_pull_at": fields.Datetime.now() + timedelta(hours=1)})
        with self.replaying() as mock:
            self.pull()
            self.assertEqual(len(mock.calls), 0)

    def test_stream_query_is_validated(self):
        with self.assertRaises(ValidationError):
            self.Stream.create({"name": "bad", "account_id": self.x_account.id, "mode": "feed"})
        rss = self.Account.create({"name": "Feeds", "platform": "rss"})
        with self.assertRaises(ValidationError):
            self.Stream.create({"name": "no url", "account_id": rss.id, "mode": "feed", "target": "nope"})
        with self.assertRaises(ValidationError):
            self.Stream.create({"name": "empty", "account_id": self.x_account.id, "mode": "search"})

    def test_identities_are_shared_and_linkable_to_partners(self):
        self._only(self.yt_account)
        with self.replaying() as mock:
            self.add(mock, "GET", YT, YT_P1)
            self.pull()
        author = self.Mention.search([("stream_id", "=", self.yt_stream.id)], limit=1).author_id
        partner = self.env["res.partner"].create({"name": "Himani"})
        other = self.env["social.crm.author"].create(
            {"platform": "x", "external_key": "123", "handle": "himani", "partner_id": partner.id}
        )
        author.partner_id = partner
        self.assertEqual(partner.social_author_ids, author | other)
        self.assertEqual(partner.social_mention_count, author.mention_count)
        self.assertIn("(YouTube)", author.display_name)

    def test_rss_stream_end_to_end(self):
        self.Account.search([]).write({"active": False})
        rss = self.Account.create({"name": "Blogs", "platform": "rss"})
        self.Stream.create(
            {
                "name": "Daring",
                "account_id": rss.id,
                "mode": "feed",
                "target": "https://daringfireball.net/feeds/main",
                "keywords": "Apple",
            }
        )
        with self.replaying() as mock:
            self.add(
                mock,
                "GET",
                "https://daringfireball.net/feeds/main",
                "rss/rsparser/DaringFireball.atom",
                headers={"ETag": '"abc"'},
            )
            self.pull()
        mentions = self.Mention.search([("account_id", "=", rss.id)])
        self.assertTrue(mentions)
        self.assertTrue(all("apple" in (m.title + " " + m.text).lower() for m in mentions))
        self.assertEqual(rss.stream_ids.cursor["etag"], '"abc"')
