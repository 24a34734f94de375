"""Issue 10: secrets, hostile servers and poison items, through the real pull cron.

Hostile servers are stand-ins on 127.0.0.1 (``self.serving``), which the
connectors refuse unless the test allows 127.0.0.1 explicitly, as a system
administrator would allow a self-hosted instance."""

import json
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError
from odoo.modules.neutralize import get_neutralization_queries
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from . import replay, standin
from .common import SocialCrmCase

HASHTAG = "mastodon/rtoot/get_timeline_hashtag_anonymous__00.json"
TAG_PATH = "/api/v1/timelines/tag/rstats"
YT = "https://www.googleapis.com/youtube/v3/commentThreads"
X_SEARCH = "https://api.twitter.com/2/tweets/search/recent"
X_PAGE = "x/tweepy/test_client_search_recent_tweets__00.json"


def recorded_statuses():
    return json.loads(replay.body(HASHTAG))


@tagged("post_install", "-at_install")
class TestSecurityHostile(SocialCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, login="sec_manager", groups="social_crm.group_social_crm_manager")
        cls.user = new_test_user(cls.env, login="sec_user", groups="social_crm.group_social_crm_user")
        cls.salesman = new_test_user(cls.env, login="sec_salesman", groups="sales_team.group_sale_salesman")
        cls.Account.search([]).write({"active": False})
        cls.mastodon = cls.Account.create(
            {"name": "Our instance", "platform": "mastodon", "access_token": "masto-SECRET-token"}
        )
        cls.tag_stream = cls.Stream.create(
            {"name": "rstats", "account_id": cls.mastodon.id, "mode": "hashtag", "hashtags": "rstats"}
        )

    def only(self, *accounts):
        self.Account.search([]).write({"active": False})
        for account in accounts:
            account.write({"active": True, "next_pull_at": False})

    # ------------------------------------------------------------- 1. secrets

    def test_manager_moving_the_server_url_clears_the_credentials(self):
        routes = {TAG_PATH: standin.answer(200, replay.body(HASHTAG))}
        with self.serving(routes) as server:
            self.mastodon.with_user(self.manager).write({"base_url": server.origin})
            self.assertFalse(self.mastodon.sudo().access_token)
            self.mastodon.with_user(self.manager).action_pull_now()
            self.pull()  # what the triggered pull cron runs
        self.assertEqual(len(server.requests), 1)
        self.assertNotIn("Authorization", server.requests[0][2])  # the token never reached his server
        self.assertEqual(self.mastodon.state, "ok")
        note = self.mastodon.message_ids.filtered(lambda m: "credentials were cleared" in (m.body or ""))
        self.assertTrue(note)

    def test_manager_switching_the_platform_clears_the_credentials(self):
        self.x_account.with_user(self.manager).write({"platform": "mastodon", "base_url": "https://evil.example"})
        self.assertFalse(self.x_account.sudo().access_token)
        bluesky = self.Account.create({"name": "Sky", "platform": "bluesky", "username": "me", "password": "app-pass"})
        bluesky.with_user(self.manager).write({"base_url": "https://pds.evil.example"})
        self.assertFalse(bluesky.sudo().password or bluesky.sudo().username)

    def test_system_administrator_moves_the_server_with_the_credentials(self):
        self.mastodon.write({"base_url": "https://social.example.org"})  # as admin (system)
        self.assertEqual(self.mastodon.sudo().access_token, "masto-SECRET-token")
        # a manager's change that does not move the credentials keeps them
        self.mastodon.with_user(self.manager).write({"name": "Renamed", "base_url": "https://social.example.org"})
        self.assertEqual(self.mastodon.sudo().access_token, "masto-SECRET-token")

    def test_where_credentials_go_is_tracked(self):
        self.assertTrue(self.Account._fields["base_url"].tracking)
        self.assertTrue(self.Account._fields["platform"].tracking)

    # -------------------------------------------------------- 2. secrets, errors

    def test_youtube_key_is_a_header_and_never_in_errors_or_logs(self):
        self.only(self.yt_account)
        echo = {
            "error": {"code": 400, "message": "API key not valid: key=yt-key", "errors": [{"reason": "badRequest"}]}
        }
        with self.replaying() as mock:
            mock.add("GET", YT, json=echo, status=400)
            with self.assertLogs("odoo.addons.social_crm", "WARNING") as logs:
                self.pull()
            request = mock.calls[0].request
        self.assertNotIn("yt-key", request.url)
        self.assertEqual(request.headers["X-goog-api-key"], "yt-key")
        self.assertEqual(self.yt_account.state, "error")
        self.assertIn("HTTP 400", self.yt_account.last_error)
        self.assertNotIn("yt-key", self.yt_account.last_error)
        self.assertNotIn("yt-key", "\n".join(logs.output))

    def test_an_unexpected_error_quoting_a_secret_is_redacted(self):
        self.only(self.x_account)
        leak = KeyError("no such key: Bearer x-token")
        with self.replaying() as mock:
            self.add(mock, "GET", X_SEARCH, X_PAGE)
            with (
                patch.object(type(self.Mention), "_prepare_vals", side_effect=leak),
                self.assertLogs("odoo.addons.social_crm", "WARNING") as logs,
            ):
                self.pull()
        self.assertEqual(self.x_account.state, "error")
        self.assertIn("no such key", self.x_account.last_error)
        self.assertNotIn("x-token", self.x_account.last_error)
        self.assertNotIn("x-token", "\n".join(logs.output))

    def test_last_error_and_webhook_url_are_for_managers(self):
        self.yt_account.sudo().last_error = "ConnectorError: something"
        for user in (self.user, self.salesman):
            self.assertTrue(self.yt_account.with_user(user).read(["name"]))
            with self.assertRaises(AccessError):
                self.yt_account.with_user(user).read(["last_error"])
            with self.assertRaises(AccessError):
                self.yt_account.with_user(user).read(["webhook_url"])
            # the views still open for them (the fields are left out)
            views = self.Account.with_user(user).get_views([(False, "list"), (False, "form")])
            self.assertNotIn("last_error", views["models"]["social.crm.account"]["fields"])
        self.assertTrue(self.yt_account.with_user(self.manager).read(["last_error", "webhook_url"]))

    # ------------------------------------------------------------------ 5. SSRF

    def test_feed_on_a_loopback_address_is_refused(self):
        rss = self.Account.create({"name": "Feeds", "platform": "rss"})
        with self.serving({"/feed": standin.answer(200, b"<rss/>")}, allow=False) as server:
            self.Stream.create({"name": "Local", "account_id": rss.id, "mode": "feed", "target": server.url("/feed")})
            self.only(rss)
            self.pull()
        self.assertEqual(server.requests, [])  # refused before connecting
        self.assertEqual(rss.state, "error")
        self.assertIn("BlockedAddressError", rss.last_error)
        self.assertIn("not a public address", rss.last_error)

    def test_redirect_to_the_metadata_address_is_refused(self):
        rss = self.Account.create({"name": "Feeds", "platform": "rss"})
        with self.serving({"/feed": standin.redirect("http://169.254.169.254/latest/meta-data/")}) as server:
            self.Stream.create({"name": "Hop", "account_id": rss.id, "mode": "feed", "target": server.url("/feed")})
            self.only(rss)
            self.pull()
        self.assertEqual(len(server.requests), 1)
        self.assertEqual(rss.state, "error")
        self.assertIn("169.254.169.254: it is not a public address", rss.last_error)

    def test_allowed_private_host_is_reached(self):
        self.only(self.mastodon)
        with self.serving({TAG_PATH: standin.answer(200, replay.body(HASHTAG))}) as server:
            self.mastodon.base_url = server.origin  # by the system administrator: the token stays
            self.pull()
        self.assertEqual(self.mastodon.state, "ok", self.mastodon.last_error)
        self.assertEqual(server.requests[0][2]["Authorization"], "Bearer masto-SECRET-token")
        self.assertEqual(len(self.tag_stream.mention_ids), 5)

    # ------------------------------------------------------------------ 8. waits

    def test_retry_after_1e20_is_a_day_and_the_cron_goes_on(self):
        self.only(self.x_account, self.yt_account)
        with self.replaying() as mock:
            mock.add("GET", X_SEARCH, status=429, headers={"Retry-After": "1e20"}, json={"title": "Too Many Requests"})
            self.add(
                mock, "GET", YT, "youtube/sns-python-youtube/comment_threads__comment_threads_by_video_paged_2.json"
            )
            self.pull()
        self.assertEqual(self.x_account.state, "rate_limited")
        wait = self.x_account.next_pull_at - fields.Datetime.now()
        self.assertTrue(timedelta(hours=23) < wait <= timedelta(days=1, minutes=1), wait)
        self.assertEqual(self.yt_account.state, "ok")

    # ------------------------------------------------------------ 9. poison items

    def poisoned_statuses(self):
        """The recorded statuses with what broke the insert of whole pages: a lone
        surrogate, a NUL in the raw payload and in an author name, a follower
        count above 2^31 (the recording itself is real)."""
        statuses = recorded_statuses()
        statuses[0]["content"] = "<p>broken \ud83d emoji</p>"
        statuses[1]["account"]["display_name"] = "Nul\x00Name"
        statuses[1]["application"] = {"name": "bad\x00app"}
        statuses[2]["account"]["followers_count"] = 2**40
        statuses[3]["favourites_count"] = -5
        return statuses

    def test_poison_items_are_stored_clean(self):
        self.only(self.mastodon)
        body = json.dumps(self.poisoned_statuses()).encode()  # \ud83d stays an escape in JSON
        with self.serving({TAG_PATH: standin.answer(200, body)}) as server:
            self.mastodon.base_url = server.origin
            self.pull()
        self.assertEqual(self.mastodon.state, "ok", self.mastodon.last_error)
        mentions = self.tag_stream.mention_ids.sorted("id")
        self.assertEqual(len(mentions), 5)
        self.assertTrue(self.tag_stream.cursor.get("since"))
        by_id = {m.external_id: m for m in mentions}
        statuses = self.poisoned_statuses()
        first = by_id[statuses[0]["uri"]]
        self.assertIn("broken \ufffd emoji", first.text)
        second = by_id[statuses[1]["uri"]]
        self.assertEqual(second.author_name, "NulName")
        self.assertEqual(second.sudo().raw_payload["application"]["name"], "badapp")
        self.assertEqual(by_id[statuses[2]["uri"]].author_followers, 2**31 - 1)
        self.assertEqual(by_id[statuses[3]["uri"]].like_count, 0)

    def test_an_item_that_cannot_be_stored_is_skipped_alone(self):
        # whatever the sanitiser misses: the page is stored item by item
        self.only(self.mastodon)
        body = json.dumps(self.poisoned_statuses()).encode()
        no_sanitiser = patch("odoo.addons.social_crm.models.social_crm_mention.sanitize_mention", lambda m: m)
        with no_sanitiser, mute_logger("odoo.sql_db"):
            with self.serving({TAG_PATH: standin.answer(200, body)}) as server:
                self.mastodon.base_url = server.origin
                with self.assertLogs("odoo.addons.social_crm.models.social_crm_mention", "WARNING") as logs:
                    self.pull()
        self.assertEqual(self.mastodon.state, "ok", self.mastodon.last_error)
        self.assertTrue(self.tag_stream.cursor.get("since"))  # the stream moved on
        stored = set(self.tag_stream.mention_ids.mapped("external_id"))
        statuses = self.poisoned_statuses()
        self.assertIn(statuses[4]["uri"], stored)  # the clean item
        self.assertIn(statuses[3]["uri"], stored)  # -5 likes is storable
        self.assertNotIn(statuses[0]["uri"], stored)
        self.assertIn("cannot be stored", "\n".join(logs.output))

    # ---------------------------------------------------------------- 16. URLs

    def test_only_http_links_are_stored(self):
        statuses = recorded_statuses()[:1]
        statuses[0]["url"] = "javascript:alert(document.cookie)"
        statuses[0]["uri"] = "tag:evil,2024:1"
        statuses[0]["account"]["url"] = "data:text/html,<script>alert(1)</script>"
        statuses[0]["account"]["fields"] = [{"name": "Website", "value": "file:///etc/passwd"}]
        self.only(self.mastodon)
        with self.serving({TAG_PATH: standin.answer(200, json.dumps(statuses).encode())}) as server:
            self.mastodon.base_url = server.origin
            self.pull()
        mention = self.tag_stream.mention_ids
        self.assertEqual(len(mention), 1, self.mastodon.last_error)
        self.assertFalse(mention.url)
        self.assertFalse(mention.author_id.profile_url or mention.author_id.website)
        mention.author_id.profile_url = "javascript:alert(1)"  # typed by hand: still never a link
        mention.author_id.action_create_partner()
        self.assertFalse(mention.author_id.partner_id.website)

    # ------------------------------------------------------------ 17. neutralize

    def test_neutralized_copy_has_no_credentials_and_pulls_nothing(self):
        self.mastodon.sudo().write({"webhook_secret": "s3cret", "webhook_verify_token": "v3rify"})
        self.env.flush_all()
        for query in get_neutralization_queries(["social_crm"]):
            self.env.cr.execute(query)
        self.env.invalidate_all()
        accounts = self.Account.with_context(active_test=False).search([]).sudo()
        names = ("access_token", "api_key", "client_id", "client_secret", "username", "password")
        for name in (*names, "webhook_secret", "webhook_verify_token", "webhook_token", "active"):
            self.assertFalse(any(accounts.mapped(name)), name)
        with self.replaying() as mock:
            self.pull()
            self.assertEqual(len(mock.calls), 0)
