import hashlib
import hmac
import json

from odoo.tests import HttpCase, tagged

from odoo.addons.social_crm.tests.webhook_payloads import PAGE_FEED


@tagged("post_install", "-at_install")
class TestWebhook(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls.env["social.crm.account"].create(
            {
                "name": "Page",
                "platform": "facebook",
                "access_token": "t",
                "account_ref": "19292868552",
                "webhook_secret": "app-secret",
                "webhook_verify_token": "verify-me",
            }
        )
        cls.url = f"/social_crm/webhook/{cls.account.webhook_token}"

    def post(self, body, secret="app-secret"):
        signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return self.url_open(
            self.url, data=body, headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature}
        )

    def mentions(self):
        return self.env["social.crm.mention"].search([("account_id", "=", self.account.id)])

    def test_subscription_handshake(self):
        ok = self.url_open(f"{self.url}?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444")
        self.assertEqual((ok.status_code, ok.text), (200, "1158201444"))
        bad = self.url_open(f"{self.url}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1")
        self.assertEqual(bad.status_code, 403)
        self.assertEqual(self.url_open("/social_crm/webhook/not-a-real-token-at-all").status_code, 404)

    def test_signed_delivery_is_stored_once(self):
        body = json.dumps(PAGE_FEED).encode()
        response = self.post(body)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"received": 1})
        mention = self.mentions()
        self.assertEqual(mention.external_id, "10158407654328553_111")
        self.assertEqual(mention.author_id.name, "Ana Souza")
        self.assertFalse(mention.stream_id)
        self.assertTrue(self.account.last_webhook_at)
        # Meta retries deliveries: the same one again stores nothing
        self.assertEqual(self.post(body).json(), {"received": 0})
        self.assertEqual(len(self.mentions()), 1)

    def test_bad_signature_or_body_is_refused(self):
        body = json.dumps(PAGE_FEED).encode()
        self.assertEqual(self.post(body, secret="wrong").status_code, 403)
        unsigned = self.url_open(self.url, data=body, headers={"Content-Type": "application/json"})
        self.assertEqual(unsigned.status_code, 403)
        self.assertEqual(self.post(b"{not json").status_code, 400)
        self.assertFalse(self.mentions())

    def test_archived_account_or_polled_platform_has_no_webhook(self):
        rss = self.env["social.crm.account"].create({"name": "Feeds", "platform": "rss"})
        self.assertFalse(rss.webhook_url)
        self.assertEqual(self.url_open(f"/social_crm/webhook/{rss.webhook_token}").status_code, 404)
        self.assertIn("/social_crm/webhook/", self.account.webhook_url)
        self.account.active = False
        self.assertEqual(self.post(json.dumps(PAGE_FEED).encode()).status_code, 404)
