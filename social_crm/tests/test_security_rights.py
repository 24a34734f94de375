"""Issue 10: who may change what (points 10 to 13): companies, writes without
write rights, the reward approval, and the e-mail search on hostile bios."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from ..connectors import Author, Mention
from .common import SocialCrmCase


@tagged("post_install", "-at_install")
class TestSecurityRights(SocialCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        cls.env["res.company"].browse([cls.company_a.id, cls.company_b.id]).write(
            {"social_crm_identity_policy": "review"}
        )
        cls.salesman = new_test_user(cls.env, login="sec_sales", groups="sales_team.group_sale_salesman")
        cls.user = new_test_user(cls.env, login="sec_scrm_user", groups="social_crm.group_social_crm_user")
        cls.manager_b = new_test_user(
            cls.env,
            login="sec_manager_b",
            groups="social_crm.group_social_crm_manager",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        cls.user_b = new_test_user(
            cls.env,
            login="sec_user_b",
            groups="social_crm.group_social_crm_user",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        cls.account_a = cls.Account.create({"name": "A feeds", "platform": "rss"})
        cls.stream_a = cls.Stream.create(
            {"name": "A", "account_id": cls.account_a.id, "mode": "feed", "target": "https://a.example/feed"}
        )
        cls.account_b = cls.Account.create({"name": "B feeds", "platform": "rss", "company_id": cls.company_b.id})
        cls.stream_b = cls.Stream.create(
            {"name": "B", "account_id": cls.account_b.id, "mode": "feed", "target": "https://b.example/feed"}
        )
        # company A's own contact, restricted to company A
        cls.secret_contact = cls.env["res.partner"].create(
            {"name": "A's customer", "email": "bob@example.com", "company_id": cls.company_a.id}
        )

    def ingest(self, stream, external_id, text="My order is broken, refund please", bio="", thread=""):
        author = Author(handle="bob", name="Bob", external_id="bob-1", bio=bio, followers=10)
        mention = Mention(platform="rss", external_id=external_id, text=text, author=author, thread_id=thread)
        return self.Mention.sudo()._ingest(stream, [mention])

    # --------------------------------------------------------- 10. companies

    def test_identities_and_contacts_stay_in_their_company(self):
        a = self.ingest(self.stream_a, "a-1", bio="write me: bob@example.com")
        b = self.ingest(self.stream_b, "b-1", bio="write me: bob@example.com")
        self.assertNotEqual(a.author_id, b.author_id)
        self.assertEqual(a.author_id.company_id, self.company_a)
        self.assertEqual(b.author_id.company_id, self.company_b)
        (a | b)._process()
        self.assertEqual(a.author_id.partner_id, self.secret_contact)  # matched in its company
        self.assertFalse(b.author_id.partner_id)  # never company A's contact
        self.assertFalse(b.ticket_id.partner_id)
        self.assertEqual(b.ticket_id.company_id, self.company_b)
        seen_b = self.env["social.crm.author"].with_user(self.user_b).search([])
        self.assertIn(b.author_id, seen_b)
        self.assertNotIn(a.author_id, seen_b)

    def test_conversations_are_not_joined_across_companies(self):
        # a rule of every company naming company A's team: company B's tickets go elsewhere
        team_a = self.env["helpdesk.ticket.team"].create({"name": "A team", "company_id": self.company_a.id})
        self.env.ref("social_crm.routing_rule_complaint").helpdesk_team_id = team_a
        a = self.ingest(self.stream_a, "a-2", thread="same-thread")
        a._process()
        self.assertTrue(a.ticket_id)
        b = self.ingest(self.stream_b, "b-2", thread="same-thread")
        b._process()
        self.assertTrue(b.ticket_id)
        self.assertNotEqual(b.ticket_id, a.ticket_id)
        self.assertEqual(b.ticket_id.company_id, self.company_b)
        self.assertEqual(a.ticket_id.team_id, team_a)
        self.assertNotEqual(b.ticket_id.team_id, team_a)

    def test_a_company_manager_cannot_touch_another_company_rule(self):
        Rule = self.env["social.crm.routing.rule"]
        rule_a = Rule.create({"name": "A only", "company_id": self.company_a.id, "action": "ignore"})
        shared = Rule.create({"name": "Everyone", "action": "keep"})
        seen = Rule.with_user(self.manager_b).search([])
        self.assertNotIn(rule_a, seen)
        self.assertIn(shared, seen)
        with self.assertRaises(AccessError):
            rule_a.with_user(self.manager_b).write({"action": "ticket"})

    def test_links_to_another_company_are_refused(self):
        b = self.ingest(self.stream_b, "b-3")
        with self.assertRaises(UserError):
            b.author_id.partner_id = self.secret_contact
        team_a = self.env["helpdesk.ticket.team"].create({"name": "A team", "company_id": self.company_a.id})
        with self.assertRaises(UserError):
            self.env["social.crm.routing.rule"].create(
                {"name": "B", "company_id": self.company_b.id, "helpdesk_team_id": team_a.id}
            )
        with self.assertRaises(UserError):
            self.env["social.crm.routing.rule"].create(
                {"name": "B", "company_id": self.company_b.id, "user_id": self.user.id}  # a user of company A
            )

    # --------------------------------------------- 11. writes without rights

    def test_read_only_users_cannot_process_or_reset(self):
        mention = self.ingest(self.stream_a, "a-4")
        for action in ("action_process", "action_reanalyse"):
            with self.assertRaises(AccessError):
                getattr(mention.with_user(self.salesman), action)()
        self.assertEqual(mention.state, "new")
        self.assertFalse(mention.analyzed_at)
        self.stream_a.sudo().cursor = {"since": 5}
        with self.assertRaises(AccessError):
            self.stream_a.with_user(self.user).action_reset_cursor()
        self.assertEqual(self.stream_a.sudo().cursor, {"since": 5})
        token = self.account_a.sudo().webhook_token
        with self.assertRaises(AccessError):
            self.account_a.with_user(self.user).action_new_webhook_token()
        self.assertEqual(self.account_a.sudo().webhook_token, token)
        with self.assertRaises(AccessError):
            self.account_a.with_user(self.user).action_pull_now()
        with self.assertRaises(AccessError):
            mention.author_id.with_user(self.salesman).action_create_partner()
        self.assertFalse(mention.author_id.partner_id)
        # a Social CRM user handles mentions: he may process them
        mention.with_user(self.user).action_process()
        self.assertNotEqual(mention.state, "new")

    # -------------------------------------------------- 12. reward approval

    def test_reward_state_changes_only_through_the_actions(self):
        program = self.env["social.crm.advocacy.program"].create(
            {
                "name": "Champions",
                "approval_threshold": 100,
                "reward_ids": [(0, 0, {"name": "Conference ticket", "points_cost": 150})],
            }
        )
        partner = self.env["res.partner"].create({"name": "Ada"})
        advocate = self.env["social.crm.advocate"].create({"partner_id": partner.id, "program_id": program.id})
        self.env["social.crm.advocacy.activity"].create(
            {"advocate_id": advocate.id, "behaviour": "manual", "points": 500, "note": "Meetup talk"}
        )
        reward = program.reward_ids
        self.assertTrue(reward.needs_approval)
        Redemption = self.env["social.crm.advocacy.redemption"].with_user(self.user)
        redemption = Redemption.create({"advocate_id": advocate.id, "reward_id": reward.id})
        self.assertEqual(redemption.state, "requested")
        with self.assertRaises(UserError):
            redemption.write({"state": "approved"})
        with self.assertRaises(UserError):
            redemption.write({"points": 0})
        redemption.action_deliver()  # not approved: nothing happens
        self.assertEqual(redemption.state, "requested")
        with self.assertRaises(UserError):
            redemption.action_approve()
        redemption.with_user(self.env.ref("base.user_admin")).action_approve()
        self.assertEqual(redemption.state, "approved")
        redemption.action_deliver()
        self.assertEqual(redemption.state, "delivered")

    # ------------------------------------------------ 13. hostile bios

    def test_emails_are_searched_in_the_start_of_a_bio_only(self):
        near = self.ingest(self.stream_a, "a-5", bio="Contact bob@example.com " + "a." * 30_000)
        near._process()
        self.assertEqual(near.author_id.partner_id, self.secret_contact)
        self.env["social.crm.author"].search([("external_key", "=", "bob-1")]).sudo().unlink()
        far = self.ingest(self.stream_a, "a-6", bio="a." * 25_000 + " bob@example.com")
        far._process()
        self.assertFalse(far.author_id.partner_id)

    def test_partner_of_another_company_cannot_be_linked_to_a_mention(self):
        b = self.ingest(self.stream_b, "b-7")
        with self.assertRaises(UserError):
            b.partner_id = self.secret_contact
