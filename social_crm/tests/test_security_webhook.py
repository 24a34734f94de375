"""Issue 10, point 14: the webhook answers hostile requests with 4xx, echoes the
handshake as plain digits, and stores deliveries as the configured webhook user.
Deliveries follow Meta's documented shapes (webhook_payloads.py)."""

import hashlib
import hmac
import json

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.social_crm.tests.webhook_payloads import PAGE_FEED


@tagged("post_install", "-at_install")
class TestSecurityWebhook(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hook_user = new_test_user(cls.env, login="sec_hook", groups="social_crm.group_social_crm_manager")
        cls.user = new_test_user(cls.env, login="sec_hook_reader", groups="social_crm.group_social_crm_user")
        cls.account = cls.env["social.crm.account"].create(
            {
                "name": "Page",
                "platform": "facebook",
                "access_token": "t",
                "account_ref": "19292868552",
                "webhook_secret": "app-secret",
                "webhook_verify_token": "verify-me",
                "webhook_user_id": cls.hook_user.id,
            }
        )
        cls.url = f"/social_crm/webhook/{cls.account.webhook_token}"

    def post(self, body, secret="app-secret", signature=None):
        if isinstance(body, dict | list | str | int):
            body = json.dumps(body).encode()
        if signature is None:
            signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return self.url_open(
            self.url, data=body, headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature}
        )

    def mentions(self):
        return self.env["social.crm.mention"].search([("account_id", "=", self.account.id)])

    def test_handshake_echo_is_plain_digits(self):
        ok = self.url_open(f"{self.url}?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444")
        self.assertEqual((ok.status_code, ok.text), (200, "1158201444"))
        self.assertTrue(ok.headers["Content-Type"].startswith("text/plain"))
        script = self.url_open(
            f"{self.url}?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=<script>alert(1)</script>"
        )
        self.assertEqual(script.status_code, 400)
        self.assertNotIn("<script>", script.text)

    @mute_logger("odoo.addons.social_crm.controllers.webhook")
    def test_non_ascii_token_or_signature_is_refused_not_a_crash(self):
        token = self.url_open(f"{self.url}?hub.mode=subscribe&hub.verify_token=v%C3%A9rify&hub.challenge=1")
        self.assertEqual(token.status_code, 403)
        body = json.dumps(PAGE_FEED).encode()
        self.assertEqual(self.post(body, signature="sha256=\u00e9\u00e9\u00e9").status_code, 403)
        self.assertEqual(
            self.url_open(
                "/social_crm/webhook/%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9"
            ).status_code,
            404,
        )
        self.assertFalse(self.mentions())

    @mute_logger("odoo.addons.social_crm.controllers.webhook")
    def test_signed_bodies_of_the_wrong_shape_are_400(self):
        deep = b"[" * 50_000 + b"]" * 50_000
        nested = {"entry": [{"changes": [{"value": {}}]}]}
        node = nested["entry"][0]["changes"][0]["value"]
        for _ in range(100):
            node["x"] = {}
            node = node["x"]
        for body in (
            [PAGE_FEED],
            "entry",
            5,
            {"entry": ["a string entry"]},
            {"entry": [{"changes": "x"}]},
            deep,
            nested,
        ):
            response = self.post(body)
            self.assertEqual(response.status_code, 400, body if not isinstance(body, bytes) else "deep")
        self.assertFalse(self.mentions())

    def test_delivery_is_stored_as_the_webhook_user(self):
        response = self.post(PAGE_FEED)
        self.assertEqual(response.json(), {"received": 1})
        mention = self.mentions()
        self.assertEqual(mention.create_uid, self.hook_user)
        self.assertEqual(mention.author_id.create_uid, self.hook_user)

    @mute_logger("odoo.addons.social_crm.controllers.webhook")
    def test_webhook_user_without_rights_stores_nothing(self):
        self.account.webhook_user_id = self.user  # may not create mentions
        response = self.post(PAGE_FEED)
        self.assertEqual(response.status_code, 503)
        self.assertFalse(self.mentions())

    def test_webhook_url_is_for_managers(self):
        with self.assertRaises(AccessError):
            self.account.with_user(self.user).read(["webhook_url"])
        self.assertIn(self.account.webhook_token, self.account.with_user(self.hook_user).webhook_url)
