"""The sign-in flow as the administrator's browser goes through it.

Connect (the button) -> ``/social_crm/oauth/<platform>/start`` -> the
platform's authorize page (not followed: no internet) -> the platform's
redirect to ``/social_crm/oauth/<platform>/callback`` -> token endpoint
(replayed: documented answer shapes of ``oauth_payloads``, as no recorded
token exchange exists) and identity call (replayed from recordings).
"""

import base64
import datetime
import hashlib
from urllib.parse import parse_qs, urlparse

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from . import oauth_payloads as payloads
from . import replay
from .common import ReplayMixin


@tagged("post_install", "-at_install")
class TestOAuthController(ReplayMixin, HttpCase):
    def _replay_passthru(self):
        return (self.base_url(),)  # the test's own requests to Odoo

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["social.crm.account"].search([]).write({"active": False})
        cls.env.company.write(payloads.DEVELOPER_APPS)
        cls.admin = new_test_user(
            cls.env, login="oauth_admin", groups="base.group_system,social_crm.group_social_crm_manager"
        )
        cls.other_admin = new_test_user(
            cls.env, login="oauth_admin2", groups="base.group_system,social_crm.group_social_crm_manager"
        )
        Account = cls.env["social.crm.account"]
        cls.x_account = Account.create({"name": "X brand", "platform": "x"})
        cls.reddit_account = Account.create({"name": "Reddit", "platform": "reddit"})
        cls.youtube_account = Account.create({"name": "Channel", "platform": "youtube"})
        cls.mastodon_account = Account.create({"name": "Masto", "platform": "mastodon", "base_url": "mastodon.social"})
        cls.facebook_account = Account.create({"name": "Page", "platform": "facebook"})

    # ----------------------------------------------------------------- helpers

    def press_connect(self, account, user=None):
        """The Connect button, pressed by ``user``: returns the state it created."""
        action = account.with_user(user or self.admin).action_oauth_connect()
        self.assertEqual(action["type"], "ir.actions.act_url")
        return action["url"], parse_qs(urlparse(action["url"]).query)["state"][0]

    def start(self, url):
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, 303, response.text[:300])
        return urlparse(response.headers["Location"])

    def callback(self, platform, **params):
        query = "&".join(f"{k}={v}" for k, v in params.items())
        return self.url_open(f"/social_crm/oauth/{platform}/callback?{query}", allow_redirects=False)

    def token(self, account):
        self.env.invalidate_all()
        return self.env["social.crm.account.token"].search([("account_id", "=", account.id)])

    def sign_in(self, account, platform, mock_setup):
        """The whole flow for ``account``; returns (authorize URL params, callback response)."""
        self.authenticate("oauth_admin", "oauth_admin")
        with self.replaying() as mock:
            mock_setup(mock)
            start_url, state = self.press_connect(account)
            authorize = self.start(start_url)
            params = {k: v[0] for k, v in parse_qs(authorize.query).items()}
            self.assertEqual(params["state"], state)
            self.assertEqual(params["redirect_uri"], f"{self.base_url()}/social_crm/oauth/{platform}/callback")
            response = self.callback(platform, state=state, code="the-code")
            calls = list(mock.calls)
        return authorize, params, response, calls, state

    def assert_opens_account(self, response, account):
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertTrue(
            urlparse(response.headers["Location"]).path.endswith(
                f"/odoo/action-social_crm.social_crm_account_action/{account.id}"
            ),
            response.headers["Location"],
        )

    # ------------------------------------------------------------------- flows

    def test_x_flow_with_pkce(self):
        def setup(mock):
            mock.add("POST", "https://api.x.com/2/oauth2/token", json=payloads.x_token())
            replay.add(mock, "GET", "https://api.twitter.com/2/users/me", "x/tweepy/test_client_get_me__00.json")

        authorize, params, response, calls, state = self.sign_in(self.x_account, "x", setup)
        self.assertEqual(authorize.hostname, "x.com")
        self.assertEqual(params["code_challenge_method"], "S256")
        token_call = next(c for c in calls if c.request.url == "https://api.x.com/2/oauth2/token")
        verifier = parse_qs(token_call.request.body)["code_verifier"][0]
        # the verifier sent to the token endpoint is the one behind the challenge of the authorize URL
        challenge = hashlib.sha256(verifier.encode()).digest()
        self.assertEqual(base64.urlsafe_b64encode(challenge).rstrip(b"=").decode(), params["code_challenge"])
        self.assert_opens_account(response, self.x_account)
        token = self.token(self.x_account)
        self.assertEqual((token.access_token, token.refresh_token), ("x-access-1", "x-refresh-1"))
        self.assertTrue(token.expires_at > fields.Datetime.now() + datetime.timedelta(minutes=110))
        self.assertEqual(self.x_account.account_ref, "1072250532645998596")
        self.assertEqual(self.x_account.oauth_identity, "@TweepyDev")
        # the same answer again (a replay) is refused: the request was consumed
        self.assertEqual(self.callback("x", state=state, code="the-code").status_code, 403)

    def test_reddit_flow_asks_for_a_permanent_grant(self):
        def setup(mock):
            mock.add("POST", "https://www.reddit.com/api/v1/access_token", json=payloads.reddit_token())
            mock.add("GET", "https://oauth.reddit.com/api/v1/me", json=payloads.REDDIT_ME)

        authorize, params, response, calls, _state = self.sign_in(self.reddit_account, "reddit", setup)
        self.assertEqual((authorize.hostname, params["duration"]), ("www.reddit.com", "permanent"))
        self.assertNotIn("code_challenge", params)  # Reddit has no PKCE
        self.assert_opens_account(response, self.reddit_account)
        token = self.token(self.reddit_account)
        self.assertEqual((token.refresh_token, token.name), ("reddit-refresh-1", "u/acme_support"))

    def test_youtube_flow_asks_for_offline_access(self):
        def setup(mock):
            mock.add("POST", "https://oauth2.googleapis.com/token", json=payloads.google_token())
            # channels?mine=true answers a channel list: replay a recorded one
            replay.add(
                mock,
                "GET",
                "https://www.googleapis.com/youtube/v3/channels",
                "youtube/sns-python-youtube/apidata__channel_info_single.json",
            )

        _authorize, params, response, calls, _state = self.sign_in(self.youtube_account, "youtube", setup)
        self.assertEqual((params["access_type"], params["prompt"]), ("offline", "consent"))
        self.assert_opens_account(response, self.youtube_account)
        token = self.token(self.youtube_account)
        self.assertEqual(token.refresh_token, "1//google-refresh-1")
        self.assertEqual(self.youtube_account.account_ref, "UC_x5XG1OV2P6uZZ5FSM9Ttw")

    def test_mastodon_flow_registers_the_app_on_the_instance(self):
        def setup(mock):
            mock.add("POST", "https://mastodon.social/api/v1/apps", json=payloads.MASTODON_APP)
            mock.add("POST", "https://mastodon.social/oauth/token", json=payloads.MASTODON_TOKEN)
            replay.add(
                mock,
                "GET",
                "https://mastodon.social/api/v1/accounts/verify_credentials",
                "mastodon/rtoot/get_account_default__00.json",
            )

        authorize, params, response, calls, _state = self.sign_in(self.mastodon_account, "mastodon", setup)
        self.assertEqual(authorize.hostname, "mastodon.social")
        self.assertEqual(params["client_id"], payloads.MASTODON_APP["client_id"])
        self.assertEqual(params["scope"], "read write:statuses")
        self.assert_opens_account(response, self.mastodon_account)
        token = self.token(self.mastodon_account)
        self.assertEqual(token.access_token, payloads.MASTODON_TOKEN["access_token"])
        self.assertFalse(token.expires_at)

    def test_facebook_flow_opens_the_page_picker(self):
        def setup(mock):
            mock.add("POST", "https://graph.facebook.com/v21.0/oauth/access_token", json=payloads.FACEBOOK_SHORT_TOKEN)
            mock.add("POST", "https://graph.facebook.com/v21.0/oauth/access_token", json=payloads.FACEBOOK_LONG_TOKEN)
            mock.add("GET", "https://graph.facebook.com/v21.0/me/accounts", json=payloads.FACEBOOK_ACCOUNTS)

        _authorize, params, response, calls, _state = self.sign_in(self.facebook_account, "facebook", setup)
        self.assertNotIn("code_challenge", params)
        self.assertEqual(response.status_code, 303)
        location = urlparse(response.headers["Location"]).path
        prefix = f"/odoo/action-social_crm.social_crm_account_action/{self.facebook_account.id}/social.crm.oauth.page/"
        self.assertTrue(location.startswith(prefix), location)
        wizard = self.env["social.crm.oauth.page"].browse(int(location.rsplit("/", 1)[1]))
        self.assertEqual(wizard.account_id, self.facebook_account)
        self.assertEqual(len(wizard.line_ids), 2)
        self.assertFalse(self.token(self.facebook_account))  # nothing stored until a Page is picked

    # ------------------------------------------------------------- refusals

    def test_forged_state_is_refused(self):
        self.authenticate("oauth_admin", "oauth_admin")
        self.press_connect(self.x_account)
        with self.replaying() as mock:
            response = self.callback("x", state="f" * 43, code="the-code")
            self.assertFalse(mock.calls)
        self.assertEqual(response.status_code, 403)
        self.assertIn("not valid", response.text)
        self.assertEqual(self.url_open("/social_crm/oauth/x/start?state=" + "f" * 43).status_code, 403)
        self.assertFalse(self.token(self.x_account))

    def test_expired_state_is_refused(self):
        self.authenticate("oauth_admin", "oauth_admin")
        start_url, state = self.press_connect(self.x_account)
        self.start(start_url)
        pending = self.env["social.crm.oauth.state"].search([("account_id", "=", self.x_account.id)])
        pending.expires_at = fields.Datetime.now() - datetime.timedelta(seconds=1)
        with self.replaying() as mock:
            response = self.callback("x", state=state, code="the-code")
            self.assertFalse(mock.calls)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.token(self.x_account))

    def test_provider_error_is_shown_and_stores_nothing(self):
        self.authenticate("oauth_admin", "oauth_admin")
        start_url, state = self.press_connect(self.x_account)
        self.start(start_url)
        with self.replaying() as mock:
            response = self.callback("x", state=state, error="access_denied")
            self.assertFalse(mock.calls)
        self.assertEqual(response.status_code, 400)
        self.assertIn("access_denied", response.text)
        self.assertIn(f"social_crm_account_action/{self.x_account.id}", response.text)  # a way back
        self.assertFalse(self.token(self.x_account))
        # the request is used up: the platform cannot answer it twice
        self.assertEqual(self.callback("x", state=state, code="late-code").status_code, 403)

    def test_token_endpoint_refusal_is_shown_without_secrets(self):
        self.authenticate("oauth_admin", "oauth_admin")
        start_url, state = self.press_connect(self.youtube_account)
        self.start(start_url)
        with self.replaying() as mock:
            mock.add("POST", "https://oauth2.googleapis.com/token", json=payloads.GOOGLE_INVALID_GRANT, status=400)
            response = self.callback("youtube", state=state, code="the-code")
        self.assertEqual(response.status_code, 400)
        self.assertIn("expired or revoked", response.text)
        self.assertNotIn("google-app-secret", response.text)
        self.assertFalse(self.token(self.youtube_account))

    def test_state_is_bound_to_the_session_and_the_user(self):
        # started in one browser session...
        self.authenticate("oauth_admin", "oauth_admin")
        start_url, state = self.press_connect(self.x_account)
        self.start(start_url)
        # ...answered in another session of the same user: refused
        self.authenticate("oauth_admin", "oauth_admin")
        with self.replaying() as mock:
            self.assertEqual(self.callback("x", state=state, code="c").status_code, 403)
            self.assertFalse(mock.calls)
        # another administrator cannot start or answer someone else's request
        start_url, state = self.press_connect(self.x_account)
        self.authenticate("oauth_admin2", "oauth_admin2")
        self.assertEqual(self.url_open(start_url, allow_redirects=False).status_code, 403)
        self.assertEqual(self.callback("x", state=state, code="c").status_code, 403)
        # a state is answered on its own platform's callback only
        self.authenticate("oauth_admin", "oauth_admin")
        start_url, state = self.press_connect(self.x_account)
        self.start(start_url)
        self.assertEqual(self.callback("reddit", state=state, code="c").status_code, 403)
        # and a start link works once
        self.assertEqual(self.url_open(start_url, allow_redirects=False).status_code, 403)
        self.assertFalse(self.token(self.x_account))

    def test_callback_needs_a_signed_in_user(self):
        self.authenticate(None, None)
        response = self.callback("x", state="f" * 43, code="c")
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])
