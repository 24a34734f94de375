import json

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.social_crm.connectors import TransientError

from .common import SocialCrmCase

X_SEARCH = "https://api.twitter.com/2/tweets/search/recent"
X_PAGE = "x/tweepy/test_client_search_recent_tweets__00.json"
X_ME = "https://api.twitter.com/2/users/me"


def opened_domain(env, action):
    """The records a mention action shows: its domain and the search defaults of
    the fields of its search view (as the web client applies them)."""
    domain = list(safe_eval(action["domain"]) if isinstance(action.get("domain"), str) else action.get("domain") or [])
    context = action.get("context") or {}
    for key, value in context.items():
        if key.startswith("search_default_") and value and key[15:] in env["social.crm.mention"]._fields:
            domain.append((key[15:], "=", value))
    return domain


def bus_messages(env, notification_type="simple_notification"):
    """The bus notifications this transaction would send (they go out at commit)."""
    env.flush_all()
    values = env.cr.precommit.data.get("bus.bus.values", [])
    return [
        json.loads(v["message"])["payload"] for v in values if json.loads(v["message"])["type"] == notification_type
    ]


@tagged("post_install", "-at_install")
class TestPullNow(SocialCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.yt_account.active = False
        cls.manager = new_test_user(cls.env, login="scm_manager", groups="social_crm.group_social_crm_manager")

    def test_pull_now_runs_in_the_background_and_reports_the_count(self):
        cron = self.env.ref("social_crm.ir_cron_pull_mentions")
        account = self.x_account.with_user(self.manager)
        self.x_account.next_pull_at = fields.Datetime.add(fields.Datetime.now(), hours=3)  # not due yet
        with self.replaying() as mock:
            self.add(mock, "GET", X_SEARCH, X_PAGE)
            action = account.action_pull_now()
            # nothing pulled while the user waits: the cron is triggered instead
            self.assertEqual(len(mock.calls), 0)
            self.assertEqual(self.x_account.mention_count, 0)
            self.assertEqual(action["params"]["type"], "info")
            self.assertIn("background", action["params"]["message"])
            self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))
            self.assertEqual(self.x_account.pull_requested_by, self.manager)
            self.pull()  # what the triggered cron runs
        self.assertEqual(self.x_account.mention_count, 10)
        self.assertEqual(self.x_account.last_pull_count, 10)
        self.assertFalse(self.x_account.pull_requested_by)
        [notification] = bus_messages(self.env)
        self.assertEqual(notification["type"], "success")
        self.assertEqual(notification["message"], "10 new mention(s).")

    def test_failed_pull_is_a_warning_in_plain_words(self):
        self.x_account.with_user(self.manager).action_pull_now()
        with self.replaying() as mock:
            self.add(mock, "GET", X_SEARCH, "x/rtweet/friends8__00.json")  # 401
            self.pull()
        [notification] = bus_messages(self.env)
        self.assertEqual((notification["type"], notification["sticky"]), ("warning", True))
        message = notification["message"]
        self.assertIn("refused the credentials", message)
        self.assertIn("Credentials tab", message)
        self.assertNotIn("AuthenticationError", message)
        self.assertEqual(self.x_account.last_error_message, message)
        # the technical detail stays for administrators
        self.assertIn("AuthenticationError", self.x_account.last_error)

    def test_error_texts_are_sentences_not_exception_dumps(self):
        error = TransientError("GET https://x failed: <urllib3.connection.HTTPSConnection object at 0x7f3a2c>")
        self.x_account._record_failure(error, state="retrying")
        self.assertNotIn("0x7f", self.x_account.last_error_message)
        self.assertNotIn("TransientError", self.x_account.last_error_message)
        self.assertIn("could not be reached", self.x_account.last_error_message)
        self.assertIn("0x7f", self.x_account.last_error)
        self.x_account.action_reset_error()
        self.assertFalse(self.x_account.last_error_message)

    def test_pull_now_needs_an_active_stream(self):
        empty = self.Account.create({"name": "Empty", "platform": "rss"})
        with self.assertRaisesRegex(UserError, "active stream"):
            empty.action_pull_now()

    def test_smart_buttons_count_what_they_open(self):
        with self.replaying() as mock:
            self.add(mock, "GET", X_SEARCH, X_PAGE)
            self.pull()
        for record, field in ((self.x_account, "account_id"), (self.x_stream, "stream_id")):
            action = record.action_view_mentions()
            self.assertEqual(action["res_model"], "social.crm.mention")
            self.assertEqual(record.mention_count, 10)
            self.assertEqual(self.Mention.search_count(opened_domain(self.env, action)), 10)
            # what the web client loads again from the URL (browser Back, reload): the
            # stored action and the record id; the filter must come back from them
            stored = self.env["ir.actions.act_window"]._for_xml_id(action["xml_id"])
            reloaded = dict(stored, context=safe_eval(stored["context"], {"active_id": record.id}))
            self.assertEqual(opened_domain(self.env, reloaded), [(field, "=", record.id)])


@tagged("post_install", "-at_install")
class TestTestConnection(SocialCrmCase):
    def test_x_user_token_works_in_part_and_says_why(self):
        account = self.Account.create({"name": "X me", "platform": "x", "access_token": "user-token"})
        with self.replaying() as mock:
            self.add(mock, "GET", X_ME, "x/tweepy/test_client_get_me__00.json")
            action = account.action_test_connection()
            self.assertEqual(len(mock.calls), 1)
        self.assertEqual(account.connection_state, "partial")
        self.assertEqual(action["params"]["type"], "warning")
        report = account.connection_report
        self.assertIn("Connected as @TweepyDev", report)
        self.assertIn("paid plan", report)
        # the user id X gave is filled in (mentions need it)
        self.assertEqual(account.account_ref, "1072250532645998596")
        self.assertIn("account ID was filled in", report)

    def test_refused_credentials_fail_in_plain_words(self):
        with self.replaying() as mock:
            self.add(mock, "GET", X_ME, "x/rtweet/friends8__00.json")  # 401
            self.x_account.action_test_connection()
        self.assertEqual(self.x_account.connection_state, "failed")
        self.assertIn("refused the credentials", self.x_account.connection_report)
        self.assertNotIn("x-token", self.x_account.connection_report + (self.x_account.connection_detail or ""))
        self.assertIn("AuthenticationError", self.x_account.connection_detail)

    def test_an_unreachable_platform_is_not_called_broken(self):
        with self.replaying():  # nothing registered: the connection is refused
            action = self.x_account.action_test_connection()
        self.assertEqual(self.x_account.connection_state, "unknown")
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn("could not be reached", self.x_account.connection_report)
        self.assertIn("Listening could not be checked.", self.x_account.connection_report)

    def test_feed_account_works_without_a_call(self):
        rss = self.Account.create({"name": "Feeds", "platform": "rss"})
        with self.replaying() as mock:
            rss.action_test_connection()
            self.assertEqual(len(mock.calls), 0)
        self.assertEqual(rss.connection_state, "ok")
        self.assertIn("no API to post replies", rss.connection_report)

    def test_missing_setting_is_named_by_its_label(self):
        account = self.Account.create({"name": "Tube", "platform": "youtube"})
        account.action_test_connection()
        self.assertEqual(account.connection_state, "failed")
        self.assertIn("“API Key”", account.connection_report)


@tagged("post_install", "-at_install")
class TestStreamGuide(SocialCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rss = cls.Account.create({"name": "Feeds", "platform": "rss"})
        cls.masto = cls.Account.create({"name": "Toots", "platform": "mastodon"})

    def test_a_feed_stream_defaults_to_the_feed_mode(self):
        # regression: an RSS stream defaulted to "Keyword search" and failed on save
        form = Form(self.Stream.with_context(default_account_id=self.rss.id))
        self.assertEqual(form.mode, "feed")
        self.assertEqual(form.available_modes, ["feed"])
        self.assertTrue(form.show_target and form.target_required and form.show_keywords)
        self.assertFalse(form.show_hashtags or form.show_handles)
        self.assertEqual(form.target_kind, "feed_url")
        form.name = "Blog"
        form.target = "https://example.org/feed.xml"
        self.assertEqual(form.save().mode, "feed")

    def test_changing_the_account_offers_its_modes(self):
        form = Form(self.Stream)
        form.name = "Tag"
        form.account_id = self.rss
        self.assertEqual(form.mode, "feed")
        form.account_id = self.masto
        self.assertEqual(form.mode, "hashtag")
        self.assertEqual(form.available_modes, ["hashtag", "search", "mentions"])
        self.assertTrue(form.show_hashtags)
        self.assertFalse(form.show_target or form.show_keywords)
        self.assertIn("hashtags", form.mode_help)
        form.mode = "mentions"
        self.assertFalse(form.show_hashtags or form.show_keywords or form.show_target)
        self.assertEqual(form.save().mode, "mentions")

    def test_what_a_mode_needs_is_said_in_plain_words(self):
        with self.assertRaisesRegex(ValidationError, "needs at least one hashtag"):
            self.Stream.create({"name": "No tag", "account_id": self.masto.id, "mode": "hashtag"})
        with self.assertRaisesRegex(ValidationError, "needs its Feed URL"):
            self.Stream.create({"name": "No URL", "account_id": self.rss.id, "mode": "feed"})
        with self.assertRaisesRegex(ValidationError, "must start with http"):
            self.Stream.create({"name": "Bad URL", "account_id": self.rss.id, "mode": "feed", "target": "nope"})
        with self.assertRaisesRegex(ValidationError, "can listen to: Feed"):
            self.Stream.create({"name": "Search", "account_id": self.rss.id, "mode": "search", "keywords": "a"})
        with self.assertRaisesRegex(ValidationError, "needs at least one keyword"):
            self.Stream.create({"name": "Empty", "account_id": self.x_account.id, "mode": "search"})


@tagged("post_install", "-at_install")
class TestStreamFormTour(HttpCase):
    def test_stream_form_guides_by_platform(self):
        self.env["social.crm.account"].create({"name": "Tour feeds", "platform": "rss"})
        self.env["social.crm.account"].create({"name": "Tour toots", "platform": "mastodon"})
        self.start_tour("/odoo/action-social_crm.social_crm_stream_action/new", "social_crm_stream_form", login="admin")
        stream = self.env["social.crm.stream"].search([("name", "=", "Tour hashtag stream")])
        self.assertEqual((stream.mode, stream.hashtags), ("hashtag", "odoo"))


@tagged("post_install", "-at_install")
class TestMentionsBackTour(HttpCase):
    def test_back_from_an_accounts_mentions_keeps_the_filter(self):
        Account = self.env["social.crm.account"]
        mine = Account.create({"name": "Tour brand", "platform": "rss"})
        other = Account.create({"name": "Tour other", "platform": "rss"})
        for account, count in ((mine, 3), (other, 2)):
            self.env["social.crm.mention"].create(
                [
                    {
                        "platform": "rss",
                        "external_id": f"tour-back-{account.id}-{n}",
                        "account_id": account.id,
                        "text": f"Tour mention {n} of {account.name}",
                    }
                    for n in range(count)
                ]
            )
        self.start_tour(
            f"/odoo/action-social_crm.social_crm_account_action/{mine.id}", "social_crm_mentions_back", login="admin"
        )
