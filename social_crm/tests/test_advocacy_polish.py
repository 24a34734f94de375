from datetime import timedelta

from odoo import fields
from odoo.tests import Form, new_test_user, tagged

from .test_advocacy import AdvocacyCase


@tagged("post_install", "-at_install")
class TestAdvocacyPolish(AdvocacyCase):
    def arch(self, xmlid, view_type=None):
        view = self.env.ref(xmlid)
        return self.env[view.model].get_view(view.id, view_type or view.type)["arch"]

    def test_tier_badges_use_readable_tag_colours_and_cards_show_avatars(self):
        # regression: the tier was "badge text-bg-primary" on a purple card, and the card
        # showed the upload placeholder of image_128 for contacts without a picture
        arch = self.arch("social_crm.social_crm_advocate_view_kanban")
        self.assertNotIn("text-bg-primary", arch)
        self.assertIn("o_tag_color_", arch)
        self.assertIn('name="avatar_128"', arch)
        self.assertNotIn('name="image_128"', arch)
        self.assertFalse(self.partner.image_128)
        self.assertTrue(self.advocate.avatar_128)  # the initials avatar Odoo draws
        self.assertEqual(self.advocate.avatar_128, self.partner.avatar_128)
        self.program.tier_ids[0].color = 2
        self.assertEqual(self.advocate.tier_color, 2)

    def test_candidates_include_authors_who_are_not_contacts_yet(self):
        for text in ("Love this app!", "Great support, thanks!"):
            self.post(text, email="carl@example.com")  # no contact has this e-mail
        wizard = Form.from_action(self.env, self.program.action_suggest_candidates()).save()
        line = wizard.line_ids.filtered(lambda line: line.author_id.handle == "carl")
        self.assertTrue(line)
        self.assertFalse(line.partner_id)
        self.assertEqual(line.positive_mentions, 2)
        self.assertEqual(line.name, line.author_id.display_name)
        reopened = line.action_create_contact()  # one click
        self.assertEqual(reopened["res_id"], wizard.id)
        self.assertTrue(line.partner_id)
        self.assertEqual(line.author_id.partner_id, line.partner_id)
        wizard.line_ids.selected = False
        line.selected = True
        wizard.action_enroll()
        advocate = self.env["social.crm.advocate"].search([("partner_id", "=", line.partner_id.id)])
        self.assertEqual(advocate.program_id, self.program)

    def test_enrolling_an_author_creates_the_contact(self):
        for text in ("Love this app!", "Great support, thanks!"):
            self.post(text, email="dora@example.com")
        wizard = Form.from_action(self.env, self.program.action_suggest_candidates()).save()
        line = wizard.line_ids.filtered(lambda line: line.author_id.handle == "dora")
        wizard.line_ids.selected = False
        line.selected = True
        wizard.action_enroll()
        self.assertTrue(line.author_id.partner_id)
        self.assertTrue(self.env["social.crm.advocate"].search([("partner_id", "=", line.author_id.partner_id.id)]))

    def test_an_empty_suggestion_says_why(self):
        # regression: the wizard showed an empty list without a word
        self.post("Love this app!", email="ben@example.com")
        self.program.candidate_min_mentions = 5
        wizard = Form.from_action(self.env, self.program.action_suggest_candidates()).save()
        self.assertFalse(wizard.line_ids)
        self.assertIn("nobody has 5 yet", wizard.empty_reason)
        self.assertIn("Suggest after", wizard.empty_reason)
        other = self.env["res.company"].create({"name": "Quiet company"})
        quiet = self.env["social.crm.advocacy.program"].create({"name": "Quiet", "company_id": other.id})
        wizard = Form.from_action(self.env, quiet.action_suggest_candidates()).save()
        self.assertIn("Nobody spoke well of you", wizard.empty_reason)

    def test_approvers_get_an_activity_for_a_pending_redemption(self):
        approver = new_test_user(self.env, login="adv_approver", groups="social_crm.group_social_crm_manager")
        self.program.approver_id = approver
        self.env["social.crm.advocacy.activity"].create(
            {"advocate_id": self.advocate.id, "behaviour": "manual", "points": 200}
        )
        ticket = self.program.reward_ids.filtered(lambda r: r.name == "Conference ticket")
        redemption = self.env["social.crm.advocacy.redemption"].create(
            {"advocate_id": self.advocate.id, "reward_id": ticket.id}
        )
        self.assertEqual(redemption.state, "requested")
        self.assertEqual(redemption.activity_ids.user_id, approver)
        self.assertIn("Conference ticket", redemption.activity_ids.note)
        redemption.with_user(approver).action_approve()
        self.assertFalse(redemption.activity_ids)  # done
        # without an approver, every Social CRM administrator is asked
        self.program.approver_id = False
        second = self.env["social.crm.advocacy.redemption"].create(
            {"advocate_id": self.advocate.id, "reward_id": self.program.reward_ids[0].id}
        )
        self.assertFalse(second.activity_ids)  # below the threshold: no approval, no activity
        self.program.approval_threshold = 10
        third = self.env["social.crm.advocacy.redemption"].create(
            {"advocate_id": self.advocate.id, "reward_id": self.program.reward_ids[0].id}
        )
        self.assertIn(approver, third.activity_ids.user_id)
        third.action_cancel()
        self.assertFalse(third.activity_ids)

    def test_leaderboard_ranks_by_period_and_opens_the_advocate(self):
        Activity = self.env["social.crm.advocacy.activity"]
        ben = self.env["social.crm.advocate"].create({"program_id": self.program.id, "partner_id": self.stranger.id})
        old = fields.Datetime.now() - timedelta(days=400)
        Activity.create({"advocate_id": self.advocate.id, "behaviour": "manual", "points": 100, "date": old})
        Activity.create({"advocate_id": self.advocate.id, "behaviour": "manual", "points": 5})
        Activity.create({"advocate_id": ben.id, "behaviour": "manual", "points": 30})
        action = self.env.ref("social_crm.social_crm_advocate_action_leaderboard")
        self.assertIn("form", action.view_mode)  # rows open the advocate
        Advocate = self.env["social.crm.advocate"]
        domain = [("program_id", "=", self.program.id)]
        month = Advocate.with_context(leaderboard_period="month").search(domain, order="period_points desc")
        self.assertEqual(list(month), [ben, self.advocate])
        self.assertEqual(month.mapped("period_points"), [30, 5])
        self.assertEqual(month.mapped("period_rank"), [1, 2])
        ever = Advocate.with_context(leaderboard_period="all").search(domain, order="period_points desc")
        self.assertEqual(list(ever), [self.advocate, ben])
        self.assertEqual(ever.mapped("period_points"), [105, 30])
        self.assertEqual(self.advocate.with_context(leaderboard_period="quarter").period_rank, 2)
        # the leaderboard list shows the rank and the points of the period
        arch = self.arch("social_crm.social_crm_advocate_view_leaderboard")
        self.assertIn('name="period_rank"', arch)
        self.assertIn('default_order="period_points desc', arch)
        search = self.arch("social_crm.social_crm_advocate_view_search")
        for period in ("month", "quarter", "all"):
            self.assertIn(f"'leaderboard_period': '{period}'", search)

    def test_stock_reads_unlimited(self):
        reward = self.program.reward_ids[0]
        self.assertEqual(reward.stock, -1)
        self.assertEqual(reward.stock_display, "Unlimited")  # regression: the list showed -1
        self.assertTrue(reward.stock_unlimited)
        with Form(reward) as form:
            form.stock_unlimited = False
        self.assertEqual((reward.stock, reward.stock_display), (0, "Out of stock"))
        with Form(reward) as form:
            form.stock = 3
        self.assertEqual(reward.stock_display, "3 left")
        with Form(reward) as form:
            form.stock_unlimited = True
        self.assertEqual(reward.stock, -1)
        arch = self.arch("social_crm.social_crm_advocacy_reward_view_list")
        self.assertIn('name="stock_display"', arch)
