from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import SocialCrmCase


@tagged("post_install", "-at_install")
class TestSecurity(SocialCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        cls.user = new_test_user(cls.env, login="scrm_user", groups="social_crm.group_social_crm_user")
        cls.manager = new_test_user(cls.env, login="scrm_manager", groups="social_crm.group_social_crm_manager")
        cls.internal = new_test_user(cls.env, login="scrm_internal", groups="base.group_user")
        cls.user_b = new_test_user(
            cls.env,
            login="scrm_user_b",
            groups="social_crm.group_social_crm_user",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        cls.account_b = cls.Account.create({"name": "B feeds", "platform": "rss", "company_id": cls.company_b.id})
        stream_b = cls.Stream.create(
            {"name": "B", "account_id": cls.account_b.id, "mode": "feed", "target": "https://b.example/feed"}
        )
        cls.mention_a = cls.Mention.create(
            {
                "platform": "x",
                "external_id": "a1",
                "account_id": cls.x_account.id,
                "stream_id": cls.x_stream.id,
                "text": "hello A",
            }
        )
        cls.mention_b = cls.Mention.create(
            {
                "platform": "rss",
                "external_id": "b1",
                "account_id": cls.account_b.id,
                "stream_id": stream_b.id,
                "text": "hello B",
            }
        )

    def test_user_reads_mentions_but_cannot_configure(self):
        Mention = self.Mention.with_user(self.user)
        self.assertIn(self.mention_a, Mention.search([]))
        self.mention_a.with_user(self.user).action_ignore()
        self.assertEqual(self.mention_a.state, "ignored")
        with self.assertRaises(AccessError):
            self.Account.with_user(self.user).create({"name": "nope", "platform": "rss"})
        with self.assertRaises(AccessError):
            self.x_stream.with_user(self.user).write({"keywords": "other"})
        with self.assertRaises(AccessError):
            self.mention_a.with_user(self.user).unlink()

    def test_manager_configures_but_secrets_stay_with_system_admins(self):
        account = self.Account.with_user(self.manager).create({"name": "Feeds", "platform": "rss"})
        self.assertTrue(account)
        with self.assertRaises(AccessError):
            self.x_account.with_user(self.manager).read(["access_token"])
        with self.assertRaises(AccessError):
            self.x_account.with_user(self.manager).write({"access_token": "stolen"})
        # the connector still gets the secret (read with sudo inside the model)
        connector = self.x_account.with_user(self.manager)._get_connector()
        self.assertEqual(connector.setting("access_token"), "x-token")

    def test_internal_user_without_group_sees_nothing(self):
        with self.assertRaises(AccessError):
            self.Mention.with_user(self.internal).search([])

    def test_multi_company_isolation(self):
        seen_b = self.Mention.with_user(self.user_b).search([])
        self.assertIn(self.mention_b, seen_b)
        self.assertNotIn(self.mention_a, seen_b)
        seen_a = self.Mention.with_user(self.user).search([])
        self.assertNotIn(self.mention_b, seen_a)
        self.assertNotIn(self.x_account, self.Account.with_user(self.user_b).search([]))
