"""Connect buttons, token lifecycle and secrets, through the real models and cron.

Token endpoints replay the documented answer shapes of ``oauth_payloads`` (no
recorded token exchange exists: recorders strip them); platform API calls
replay recordings. The controller is tested in ``test_oauth_controller``, the
concurrent refresh of two workers in ``test_oauth_concurrency``.
"""

import datetime
import json
from unittest.mock import patch
from urllib.parse import parse_qs, urlparse

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, RedirectWarning, UserError
from odoo.modules.neutralize import get_neutralization_queries
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.social_crm.connectors.oauth import TokenSet

from . import oauth_payloads as payloads
from . import replay
from .common import SocialCrmCase

UTC = datetime.timezone.utc
X_TOKEN = "https://api.x.com/2/oauth2/token"
X_SEARCH = "https://api.twitter.com/2/tweets/search/recent"
REDDIT_TOKEN = "https://www.reddit.com/api/v1/access_token"
REDDIT_MENTIONS = "https://oauth.reddit.com/message/mentions"
GOOGLE_TOKEN = "https://oauth2.googleapis.com/token"
BSKY = "https://bsky.social/xrpc"
GRAPH = "https://graph.facebook.com/v21.0"


def later(**delta):
    return datetime.datetime.now(UTC) + datetime.timedelta(**delta)


def form_body(call):
    return {k: v[0] for k, v in parse_qs(call.request.body).items()}


class OAuthCase(SocialCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # refreshes run in a transaction of their own: in test mode, a savepoint of the test's
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)
        cls.env["ir.config_parameter"].set_param("web.base.url", "https://odoo.example.com")
        cls.env.company.write(payloads.DEVELOPER_APPS)
        cls.admin = new_test_user(
            cls.env, login="oauth_admin", groups="base.group_system,social_crm.group_social_crm_manager"
        )
        cls.manager = new_test_user(cls.env, login="oauth_manager", groups="social_crm.group_social_crm_manager")
        cls.yt_account.active = False
        cls.Token = cls.env["social.crm.account.token"]

    def connect(self, account, access, refresh="", expires_at=None, subject="", name=""):
        account._oauth_store(
            TokenSet(access_token=access, refresh_token=refresh, expires_at=expires_at, subject=subject, name=name)
        )
        self.env.invalidate_all()

    def token(self, account):
        self.env.invalidate_all()
        return self.Token.search([("account_id", "=", account.id)])

    def token_calls(self, mock, url):
        return [call for call in mock.calls if call.request.url.startswith(url)]


@tagged("post_install", "-at_install")
class TestOAuthConnect(OAuthCase):
    def test_connect_button_opens_a_pending_request_bound_to_user_and_account(self):
        action = self.x_account.with_user(self.admin).action_oauth_connect()
        self.assertEqual(action["type"], "ir.actions.act_url")
        url = urlparse(action["url"])
        self.assertEqual(url.path, "/social_crm/oauth/x/start")
        state = parse_qs(url.query)["state"][0]
        pending = self.env["social.crm.oauth.state"].search([("account_id", "=", self.x_account.id)])
        self.assertEqual((pending.user_id, pending.platform), (self.admin, "x"))
        self.assertNotEqual(pending.state_hash, state)  # only a digest is stored
        self.assertEqual(pending.redirect_uri, "https://odoo.example.com/social_crm/oauth/x/callback")
        self.assertTrue(
            fields.Datetime.now() < pending.expires_at <= fields.Datetime.now() + datetime.timedelta(minutes=10)
        )
        authorize = urlparse(self.x_account._oauth_authorize_url(pending, state))
        params = {k: v[0] for k, v in parse_qs(authorize.query).items()}
        self.assertEqual(params["client_id"], "x-id")
        self.assertEqual(params["state"], state)
        self.assertEqual(params["code_challenge_method"], "S256")
        self.assertIn("offline.access", params["scope"])

    def test_connect_needs_a_system_admin_and_the_company_app(self):
        with self.assertRaises(AccessError):
            self.x_account.with_user(self.manager).action_oauth_connect()
        self.env.company.social_crm_x_client_id = False
        with self.assertRaises(RedirectWarning) as err:
            self.x_account.with_user(self.admin).action_oauth_connect()
        self.assertIn("Settings", str(err.exception))
        self.assertEqual(err.exception.args[1], self.env.ref("social_crm.social_crm_config_settings_action").id)

    def test_mastodon_app_is_registered_once_per_instance(self):
        account = self.Account.create({"name": "Masto", "platform": "mastodon", "base_url": "mastodon.social"})
        other = self.Account.create({"name": "Masto 2", "platform": "mastodon", "base_url": "https://mastodon.social/"})
        with self.replaying() as mock:
            mock.add("POST", "https://mastodon.social/api/v1/apps", json=payloads.MASTODON_APP)
            account.with_user(self.admin).action_oauth_connect()
            other.with_user(self.admin).action_oauth_connect()
            self.assertEqual(len(mock.calls), 1)
            self.assertEqual(
                form_body(mock.calls[0])["redirect_uris"], "https://odoo.example.com/social_crm/oauth/mastodon/callback"
            )
        app = self.env["social.crm.oauth.app"].search([("instance", "=", "https://mastodon.social")])
        self.assertEqual(app.client_id, payloads.MASTODON_APP["client_id"])

    def test_bluesky_connect_opens_a_session_with_the_app_password(self):
        account = self.Account.create(
            {"name": "Sky", "platform": "bluesky", "username": "acme.bsky.social", "password": "app-pass-word"}
        )
        with self.replaying() as mock:
            mock.add(
                "POST",
                f"{BSKY}/com.atproto.server.createSession",
                json=payloads.bluesky_session(int(later(hours=2).timestamp()), int(later(days=60).timestamp())),
            )
            action = account.with_user(self.admin).action_oauth_connect()
            self.assertEqual(json.loads(mock.calls[0].request.body)["identifier"], "acme.bsky.social")
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(account.oauth_status, "connected")
        self.assertEqual(account.oauth_identity, "@acme.bsky.social")
        self.assertTrue(self.token(account).refresh_token)

    def test_bluesky_connect_with_a_wrong_app_password_says_so(self):
        account = self.Account.create(
            {"name": "Sky", "platform": "bluesky", "username": "acme.bsky.social", "password": "wrong-password"}
        )
        with self.replaying() as mock:
            self.add(mock, "POST", f"{BSKY}/com.atproto.server.createSession", "bluesky/bskyr/repo_auth_cache__00.json")
            with self.assertRaisesRegex(UserError, "Invalid identifier or password") as err:
                account.with_user(self.admin).action_oauth_connect()
        self.assertNotIn("wrong-password", str(err.exception))
        self.assertFalse(self.token(account))

    def test_facebook_page_picker(self):
        account = self.Account.create({"name": "Page", "platform": "facebook"})
        with self.replaying() as mock:
            mock.add("POST", f"{GRAPH}/oauth/access_token", json=payloads.FACEBOOK_SHORT_TOKEN)
            mock.add("POST", f"{GRAPH}/oauth/access_token", json=payloads.FACEBOOK_LONG_TOKEN)
            mock.add("GET", f"{GRAPH}/me/accounts", json=payloads.FACEBOOK_ACCOUNTS)
            action = account.with_user(self.admin)._oauth_finish(
                "https://odoo.example.com/social_crm/oauth/facebook/callback", None, "the-code"
            )
        self.assertEqual(action["res_model"], "social.crm.oauth.page")
        picker = Form.from_action(self.env(user=self.admin), action)
        self.assertFalse(picker.line_id)  # two Pages: the admin picks
        line = picker.record.line_ids.filtered(lambda line: line.page_id == "1234567890")
        picker.line_id = line
        wizard = picker.save()
        done = wizard.action_apply()
        self.assertEqual((done["res_model"], done["res_id"]), ("social.crm.account", account.id))
        self.assertEqual(account.account_ref, "1234567890")
        token = self.token(account)
        self.assertEqual(token.access_token, "EAAfb-page-blog")  # the Page token, not the user token
        self.assertFalse(token.expires_at)  # Page tokens do not expire
        self.assertEqual(account.oauth_identity, "Acme Blog")
        self.assertFalse(any(wizard.line_ids.sudo().mapped("page_token")))  # the other Page tokens are dropped

    def test_instagram_page_picker_offers_linked_accounts_only(self):
        account = self.Account.create({"name": "IG", "platform": "instagram"})
        with self.replaying() as mock:
            mock.add("POST", f"{GRAPH}/oauth/access_token", json=payloads.FACEBOOK_SHORT_TOKEN)
            mock.add("POST", f"{GRAPH}/oauth/access_token", json=payloads.FACEBOOK_LONG_TOKEN)
            mock.add("GET", f"{GRAPH}/me/accounts", json=payloads.FACEBOOK_ACCOUNTS)
            action = account.with_user(self.admin)._oauth_finish(
                "https://odoo.example.com/social_crm/oauth/facebook/callback", None, "the-code"
            )
        authorize = account._oauth_provider().authorize_url(account._oauth_client(), "https://odoo.example.com/cb", "s")
        self.assertIn("instagram_basic", parse_qs(urlparse(authorize).query)["scope"][0])
        picker = Form.from_action(self.env(user=self.admin), action)
        self.assertEqual(picker.record.eligible_count, 1)
        self.assertEqual(picker.line_id.instagram_id, "17841405822304914")  # the only choice is preselected
        picker.save().action_apply()
        self.assertEqual(account.account_ref, "17841405822304914")
        self.assertEqual(self.token(account).access_token, "EAAfb-page-acme")
        self.assertEqual(account.oauth_identity, "@acme")

    def test_disconnect_button(self):
        self.connect(self.x_account, "x-access", "x-refresh", later(hours=2))
        self.x_account.with_user(self.admin).action_oauth_disconnect()
        self.assertFalse(self.token(self.x_account))
        self.assertEqual(self.x_account.oauth_status, "none")
        with self.assertRaises(AccessError):
            self.x_account.with_user(self.manager).action_oauth_disconnect()

    def test_connect_replaces_the_manual_token_and_fills_the_account_id(self):
        self.x_account.account_ref = False
        self.connect(self.x_account, "x-access", "x-refresh", later(hours=2), subject="1072250532645998596")
        self.assertFalse(self.x_account.access_token)
        self.assertEqual(self.x_account.account_ref, "1072250532645998596")
        connector = self.x_account._get_connector()
        self.assertEqual(connector.setting("access_token"), "x-access")
        self.assertTrue(connector.token_refresher)


@tagged("post_install", "-at_install")
class TestTokenLifecycle(OAuthCase):
    def test_token_about_to_expire_is_refreshed_before_the_pull(self):
        self.connect(self.x_account, "x-access-old", "x-refresh-old", later(minutes=1))
        with self.replaying() as mock:
            mock.add("POST", X_TOKEN, json=payloads.x_token("x-access-new", "x-refresh-new"))
            self.add(mock, "GET", X_SEARCH, "x/tweepy/test_client_search_recent_tweets__00.json")
            self.pull()
            refresh = self.token_calls(mock, X_TOKEN)
            self.assertEqual(len(refresh), 1)
            self.assertEqual(form_body(refresh[0])["refresh_token"], "x-refresh-old")
            search = self.token_calls(mock, X_SEARCH)[0]
            self.assertEqual(search.request.headers["Authorization"], "Bearer x-access-new")
        token = self.token(self.x_account)
        self.assertEqual((token.access_token, token.refresh_token), ("x-access-new", "x-refresh-new"))
        self.assertGreater(token.expires_at, fields.Datetime.now() + datetime.timedelta(minutes=110))
        self.assertEqual(self.x_account.state, "ok")
        self.assertEqual(self.Mention.search_count([("account_id", "=", self.x_account.id)]), 10)

    def test_a_401_refreshes_once_then_retries_the_call(self):
        account = self.Account.create({"name": "Reddit", "platform": "reddit"})
        self.Stream.create({"name": "Mentions", "account_id": account.id, "mode": "mentions"})
        self.x_account.active = False
        self.connect(account, "r-access-old", "r-refresh", later(minutes=50))
        with self.replaying() as mock:
            # recorded: the 401 of an invalid token, then an inbox of mentions
            self.add(
                mock,
                "GET",
                REDDIT_MENTIONS,
                "reddit/prawcore/TestSession.test_request__with_invalid_access_token__01.json",
            )
            self.add(mock, "GET", REDDIT_MENTIONS, "reddit/praw/TestInbox.test_mentions__01.json")
            mock.add("POST", REDDIT_TOKEN, json=payloads.reddit_token("r-access-new", refresh=None))
            self.pull()
            self.assertEqual(len(self.token_calls(mock, REDDIT_TOKEN)), 1)
            auths = [c.request.headers["Authorization"] for c in self.token_calls(mock, REDDIT_MENTIONS)]
            self.assertEqual(auths, ["bearer r-access-old", "bearer r-access-new"])
            self.assertTrue(
                self.token_calls(mock, REDDIT_TOKEN)[0].request.headers["Authorization"].startswith("Basic ")
            )
        self.assertEqual(account.state, "ok")
        self.assertTrue(self.Mention.search_count([("account_id", "=", account.id)]))
        token = self.token(account)
        self.assertEqual((token.access_token, token.refresh_token), ("r-access-new", "r-refresh"))

    def test_a_refused_refresh_asks_the_administrators_to_reconnect(self):
        self.connect(self.x_account, "x-access-old", "x-refresh-old", later(minutes=-5))
        with self.replaying() as mock:
            mock.add("POST", X_TOKEN, json=payloads.X_INVALID_REFRESH, status=400)
            self.pull()
            self.assertEqual(len(self.token_calls(mock, X_TOKEN)), 1)
            self.assertFalse(self.token_calls(mock, X_SEARCH))
        account = self.x_account
        self.assertEqual(account.state, "reconnect")
        self.assertIn("token was invalid", account.last_error)
        for secret in ("x-refresh-old", "x-access-old", "x-app-secret"):
            self.assertNotIn(secret, account.last_error)
        self.assertEqual(account.oauth_status, "reconnect")
        admins = self.env.ref("base.group_system").users.filtered(lambda u: u.active and not u.share)
        activities = account.activity_ids
        self.assertEqual(activities.user_id, admins)
        self.assertIn(self.admin, activities.user_id)
        self.assertTrue(all("Reconnect" in a.summary for a in activities))
        # the next pulls neither ask the platform again nor pile up activities
        account.next_pull_at = False
        with self.replaying() as mock:
            mock.add("POST", X_TOKEN, json=payloads.X_INVALID_REFRESH, status=400)
            self.pull()
            self.assertFalse(self.token_calls(mock, X_TOKEN))
        self.assertEqual(account.state, "reconnect")
        self.assertEqual(len(account.activity_ids), len(activities))
        # the Reconnect button starts a new sign-in; a new sign-in makes the account healthy again
        action = account.with_user(self.admin).action_oauth_connect()
        self.assertIn("/social_crm/oauth/x/start?state=", action["url"])
        self.connect(account, "x-access-2", "x-refresh-2", later(hours=2))
        self.assertEqual(account.state, "new")
        self.assertFalse(account.last_error)
        self.assertFalse(account.activity_ids)
        self.assertEqual(self.token(account).status, "connected")

    def test_a_refused_token_that_cannot_be_refreshed_asks_for_a_reconnect(self):
        account = self.Account.create({"name": "Masto", "platform": "mastodon", "base_url": "https://emacs.ch"})
        self.Stream.create({"name": "Mentions", "account_id": account.id, "mode": "mentions"})
        self.x_account.active = False
        self.connect(account, "masto-token")
        with self.replaying() as mock:
            # recorded: emacs.ch refusing a token
            self.add(
                mock, "GET", "https://emacs.ch/api/v1/notifications", "mastodon/rtoot/process_created_token__00.json"
            )
            self.pull()
            self.assertEqual(len(mock.calls), 1)
        self.assertEqual(account.state, "reconnect")
        self.assertTrue(account.activity_ids)

    def test_a_network_failure_during_refresh_is_retried_later_not_a_reconnect(self):
        self.connect(self.x_account, "x-access-old", "x-refresh-old", later(minutes=-5))
        with self.replaying() as mock, patch("time.sleep"):
            mock.add("POST", X_TOKEN, json={"title": "Service Unavailable"}, status=503)
            self.pull()
        self.assertEqual(self.x_account.state, "retrying")
        token = self.token(self.x_account)
        self.assertEqual((token.status, token.refresh_token), ("connected", "x-refresh-old"))
        self.assertFalse(self.x_account.activity_ids)

    def test_bluesky_one_create_session_serves_many_pulls(self):
        self.x_account.active = False
        account = self.Account.create(
            {
                "name": "Sky",
                "platform": "bluesky",
                "username": "acme.bsky.social",
                "password": "app-pass-word",
                "pull_interval": 5,
            }
        )
        self.Stream.create({"name": "Mentions", "account_id": account.id, "mode": "mentions"})
        now = datetime.datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
        session = payloads.bluesky_session(
            int((now + datetime.timedelta(hours=2)).timestamp()),
            int((now + datetime.timedelta(days=60)).timestamp()),
            access="a1",
            refresh="r1",
        )
        renewed = payloads.bluesky_session(
            int((now + datetime.timedelta(hours=6)).timestamp()),
            int((now + datetime.timedelta(days=60)).timestamp()),
            access="a2",
            refresh="r2",
        )
        with self.replaying() as mock:
            mock.add("POST", f"{BSKY}/com.atproto.server.createSession", json=session)
            mock.add("POST", f"{BSKY}/com.atproto.server.refreshSession", json=renewed)
            self.add(
                mock, "GET", f"{BSKY}/app.bsky.notification.listNotifications", "bluesky/bskyr/n_notifications__00.json"
            )
            # a pull every 5 minutes for 3 hours: 36 pulls (288 a day would break createSession's limit)
            for minute in range(0, 180, 5):
                with freeze_time(now + datetime.timedelta(minutes=minute)):
                    account.next_pull_at = False
                    self.pull()
                    self.assertEqual(account.state, "ok", account.last_error)
            creates = self.token_calls(mock, f"{BSKY}/com.atproto.server.createSession")
            refreshes = self.token_calls(mock, f"{BSKY}/com.atproto.server.refreshSession")
            reads = self.token_calls(mock, f"{BSKY}/app.bsky.notification.listNotifications")
            self.assertEqual(len(creates), 1)
            self.assertEqual(len(refreshes), 1)  # the access JWT expired after 2 hours: renewed, not re-created
            self.assertEqual(refreshes[0].request.headers["Authorization"], f"Bearer {session['refreshJwt']}")
            self.assertEqual(len(reads), 36)
            self.assertEqual(
                {c.request.headers["Authorization"] for c in reads},
                {f"Bearer {session['accessJwt']}", f"Bearer {renewed['accessJwt']}"},
            )
        token = self.token(account)
        self.assertEqual(token.refresh_token, renewed["refreshJwt"])  # rotated by refreshSession
        self.assertEqual(token.subject, "did:plc:ewvi7nxzyoun6zhxrhs64oiz")
        self.assertTrue(self.Mention.search_count([("account_id", "=", account.id)]))

    def test_bluesky_signs_in_again_only_when_the_refresh_token_is_refused(self):
        self.x_account.active = False
        account = self.Account.create(
            {"name": "Sky", "platform": "bluesky", "username": "acme.bsky.social", "password": "app-pass-word"}
        )
        self.Stream.create({"name": "Mentions", "account_id": account.id, "mode": "mentions"})
        expired = payloads.bluesky_session(
            int(later(hours=-1).timestamp()), int(later(days=30).timestamp()), "a0", "r0"
        )
        self.connect(account, expired["accessJwt"], expired["refreshJwt"], later(hours=-1))
        fresh = payloads.bluesky_session(int(later(hours=2).timestamp()), int(later(days=60).timestamp()), "a1", "r1")
        with self.replaying() as mock:
            mock.add("POST", f"{BSKY}/com.atproto.server.refreshSession", json=payloads.BLUESKY_EXPIRED, status=400)
            mock.add("POST", f"{BSKY}/com.atproto.server.createSession", json=fresh)
            self.add(
                mock, "GET", f"{BSKY}/app.bsky.notification.listNotifications", "bluesky/bskyr/n_notifications__00.json"
            )
            self.pull()
            urls = [c.request.url.rsplit("/", 1)[-1].split("?")[0] for c in mock.calls]
        self.assertEqual(
            urls,
            [
                "com.atproto.server.refreshSession",
                "com.atproto.server.createSession",
                "app.bsky.notification.listNotifications",
            ],
        )
        self.assertEqual(account.state, "ok")
        self.assertEqual(self.token(account).access_token, fresh["accessJwt"])

    def test_youtube_replies_are_posted(self):
        account = self.Account.create(
            {"name": "Channel", "platform": "youtube", "account_ref": "UC_x5XG1OV2P6uZZ5FSM9Ttw"}
        )
        self.connect(account, "ya29.access", "1//refresh", later(hours=1))
        mention = self.Mention.create(
            {
                "platform": "youtube",
                "external_id": "UgwTopLevel",
                "account_id": account.id,
                "text": "The sound is broken since the update",
                "thread_ref": "F1UP7wRCPH8",
                "url": "https://www.youtube.com/watch?v=F1UP7wRCPH8&lc=UgwTopLevel",
            }
        )
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Sound", "description": "Sound", "social_mention_id": mention.id}
        )
        mention.ticket_id = ticket
        wizard = Form.from_action(self.env, ticket.action_social_reply())
        self.assertTrue(wizard.can_post)
        wizard.body = "Thanks, a fix is on its way."
        # comments.insert answers with the comment resource: replay a recorded one
        comment = json.loads(replay.body("youtube/sns-python-youtube/comments__comments_by_parent_paged_1.json"))[
            "items"
        ][0]
        with self.replaying() as mock:
            mock.add("POST", "https://www.googleapis.com/youtube/v3/comments", json=comment)
            wizard.save().action_send()
            body = json.loads(mock.calls[0].request.body)
        self.assertEqual(body, {"snippet": {"parentId": "UgwTopLevel", "textOriginal": "Thanks, a fix is on its way."}})
        outgoing = self.Mention.search([("ticket_id", "=", ticket.id), ("direction", "=", "out")])
        self.assertEqual(outgoing.external_id, comment["id"])
        # the log of the reply (the outgoing comment has its own message in the conversation)
        self.assertTrue(ticket.message_ids.filtered(lambda m: "Replied on YouTube" in (m.body or "")))


@tagged("post_install", "-at_install")
class TestOAuthSecrets(OAuthCase):
    def test_every_secret_is_for_system_admins_only(self):
        secrets = {
            "social.crm.account.token": ("access_token", "refresh_token"),
            "social.crm.oauth.state": ("code_verifier",),
            "social.crm.oauth.app": ("client_id", "client_secret"),
            "social.crm.oauth.page.line": ("page_token",),
            "res.company": (
                "social_crm_reddit_client_secret",
                "social_crm_x_client_secret",
                "social_crm_google_client_secret",
                "social_crm_meta_app_secret",
            ),
            "res.config.settings": (
                "social_crm_reddit_client_secret",
                "social_crm_x_client_secret",
                "social_crm_google_client_secret",
                "social_crm_meta_app_secret",
            ),
        }
        for model, names in secrets.items():
            for name in names:
                self.assertEqual(self.env[model]._fields[name].groups, "base.group_system", f"{model}.{name}")
        self.connect(self.x_account, "x-access", "x-refresh", later(hours=2))
        with self.assertRaises(AccessError):
            self.Token.with_user(self.manager).search([])
        # what a manager sees of the connection: its status, not the token
        account = self.x_account.with_user(self.manager)
        self.assertEqual(account.oauth_status, "connected")
        self.assertFalse("oauth_token_ids" in account.fields_get())

    def test_neutralize_blanks_the_tokens_and_secrets(self):
        self.connect(self.x_account, "x-access", "x-refresh", later(hours=2))
        self.env["social.crm.oauth.app"].create(
            {
                "company_id": self.env.company.id,
                "instance": "https://mastodon.social",
                "redirect_uri": "https://odoo.example.com/social_crm/oauth/mastodon/callback",
                "client_id": "masto-id",
                "client_secret": "masto-secret",
            }
        )
        self.x_account.with_user(self.admin).action_oauth_connect()
        self.env.flush_all()
        queries = list(get_neutralization_queries(["social_crm"]))
        self.assertTrue(any("social_crm_account_token" in query for query in queries))
        for query in queries:
            self.env.cr.execute(query)
        self.env.invalidate_all()
        token = self.token(self.x_account)
        self.assertEqual((token.access_token, token.refresh_token, token.status), (False, False, "reconnect"))
        self.assertFalse(self.env["social.crm.oauth.state"].search([]))
        self.assertFalse(self.env["social.crm.oauth.app"].search([]).client_secret)
        self.assertFalse(self.env.company.social_crm_x_client_secret)

    def test_expired_requests_are_garbage_collected(self):
        self.x_account.with_user(self.admin).action_oauth_connect()
        State = self.env["social.crm.oauth.state"]
        self.assertTrue(State.search([]))
        with freeze_time(datetime.datetime.now() + datetime.timedelta(minutes=11)):
            State._gc_expired()
        self.assertFalse(State.search([]))


@tagged("post_install", "-at_install")
class TestRefreshInAPlainTransactionCase(SocialCrmCase):
    """Outside the registry's test mode (what most test classes use) a refresh
    runs in a savepoint of the test's transaction: a second connection would
    not see the test's data."""

    def test_refresh_is_stored(self):
        self.env.company.write({"social_crm_x_client_id": "x-id", "social_crm_x_client_secret": "x-app-secret"})
        self.x_account._oauth_store(TokenSet(access_token="x-access-0", refresh_token="x-refresh-0"))
        with self.replaying() as mock:
            mock.add("POST", X_TOKEN, json=payloads.x_token("x-access-1", "x-refresh-1"))
            tokens = self.x_account._oauth_refresh("x-access-0")
        self.assertEqual(tokens.access_token, "x-access-1")
        self.env.invalidate_all()
        token = self.env["social.crm.account.token"].search([("account_id", "=", self.x_account.id)])
        self.assertEqual(token.refresh_token, "x-refresh-1")
