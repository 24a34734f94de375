import datetime
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.social_crm.connectors import Author, Mention

from .common import SocialCrmCase

UTC = datetime.timezone.utc


class AdvocacyCase(SocialCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.social_crm_identity_policy = "none"
        cls.program = cls.env["social.crm.advocacy.program"].create(
            {
                "name": "Champions",
                "max_points_per_day": 40,
                "duplicate_window_days": 7,
                "approval_threshold": 100,
                "rule_ids": [
                    (0, 0, {"behaviour": "positive_mention", "points": 10}),
                    (0, 0, {"behaviour": "share", "points": 15}),
                    (0, 0, {"behaviour": "answer", "points": 20}),
                    (0, 0, {"behaviour": "review", "points": 25}),
                    (0, 0, {"behaviour": "referral", "points": 50}),
                ],
                "tier_ids": [
                    (0, 0, {"name": "Bronze", "min_points": 0}),
                    (0, 0, {"name": "Silver", "min_points": 30}),
                    (0, 0, {"name": "Gold", "min_points": 100}),
                ],
                "reward_ids": [
                    (0, 0, {"name": "Sticker pack", "points_cost": 20}),
                    (0, 0, {"name": "Conference ticket", "points_cost": 150}),
                ],
            }
        )
        cls.partner = cls.env["res.partner"].create({"name": "Ada", "email": "ada@example.com"})
        cls.stranger = cls.env["res.partner"].create({"name": "Ben", "email": "ben@example.com"})
        cls.advocate = cls.env["social.crm.advocate"].create(
            {"program_id": cls.program.id, "partner_id": cls.partner.id}
        )
        cls.seq = 0

    def post(
        self, text, email="ada@example.com", handle=None, kind="post", parent="", platform_stream=None, followers=800
    ):
        type(self).seq += 1
        handle = handle or email.split("@")[0]
        mention = Mention(
            platform="x",
            external_id=f"adv{self.seq}",
            text=text,
            kind=kind,
            parent_id=parent,
            url=f"https://x.com/{handle}/status/{self.seq}",
            posted_at=datetime.datetime.now(UTC) - timedelta(minutes=1),
            author=Author(
                handle=handle, name=handle, external_id=f"u-{handle}", bio=f"mail me: {email}", followers=followers
            ),
        )
        created = self.Mention._ingest(platform_stream or self.x_stream, [mention])
        self.Mention._cron_process_mentions()
        self.env.invalidate_all()
        return created


@tagged("post_install", "-at_install")
class TestAdvocacy(AdvocacyCase):
    def test_praise_from_an_advocate_earns_points_and_links_the_mention(self):
        mention = self.post("I love this product, thank you!")
        activity = self.advocate.advocacy_activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual((activity.behaviour, activity.points, activity.state), ("positive_mention", 10, "awarded"))
        self.assertEqual(activity.mention_id, mention)
        self.assertEqual(self.advocate.lifetime_points, 10)
        self.assertEqual(self.advocate.tier_id.name, "Bronze")
        self.assertTrue(self.advocate.last_activity_at)
        # processing the same mention again gives nothing twice
        self.env["social.crm.advocacy.activity"]._award_from_mentions(mention)
        self.assertEqual(self.advocate.lifetime_points, 10)

    def test_review_share_and_complaints(self):
        self.program.max_points_per_day = 0  # no daily limit here (tested below)
        self.post("Five stars, highly recommend it to everyone")
        self.post("Sharing this great release", kind="share")
        self.post("Terrible update, it is broken")  # a complaint earns nothing
        behaviours = sorted(self.advocate.advocacy_activity_ids.mapped("behaviour"))
        self.assertEqual(behaviours, ["positive_mention", "review", "share"])
        self.assertEqual(self.advocate.lifetime_points, 25 + 15 + 10)
        self.assertEqual(self.advocate.tier_id.name, "Silver")
        self.assertEqual(self.advocate.stage_id, self.env.ref("social_crm.advocacy_stage_engaged"))

    def test_answering_another_customers_question(self):
        question = self.post("How do I export my invoices to CSV?", email="ben@example.com")
        self.post("Go to Settings, then Export, works great", kind="reply", parent=question.external_id)
        answer = self.advocate.advocacy_activity_ids.filtered(lambda a: a.behaviour == "answer")
        self.assertEqual(answer.points, 20)
        self.assertFalse(self.env["social.crm.advocate"].search([("partner_id", "=", self.stranger.id)]))

    def test_daily_cap_and_duplicates_across_networks(self):
        self.post("Amazing support team, thanks a lot!")
        duplicate = self.post("amazing support team thanks a lot!! https://t.co/x", handle="ada_masto")
        dup_activity = self.advocate.advocacy_activity_ids.filtered(lambda a: a.mention_id == duplicate)
        self.assertEqual((dup_activity.state, dup_activity.points), ("duplicate", 0))
        self.post("Five stars review: best tool I ever used")  # 25 -> 35 today
        self.post("Thank you for the quick fix, love it")  # 10 but only 5 left
        capped = self.advocate.advocacy_activity_ids.filtered(lambda a: a.state == "capped")
        self.assertEqual(capped.points, 5)
        self.assertEqual(self.advocate.lifetime_points, 40)
        with freeze_time(fields.Datetime.now() + timedelta(days=1)):
            self.post("Still loving it today, great work")
        self.assertEqual(self.advocate.lifetime_points, 50)

    def test_follower_floor(self):
        self.program.min_followers = 1000
        self.post("Love it, great product!", followers=12)
        activity = self.advocate.advocacy_activity_ids
        self.assertEqual((activity.state, activity.points), ("rejected", 0))

    def test_referral_that_becomes_a_won_lead(self):
        lead = self.env["crm.lead"].create({"name": "Referred deal", "social_advocate_id": self.advocate.id})
        lead.action_set_won()
        referral = self.advocate.advocacy_activity_ids.filtered(lambda a: a.behaviour == "referral")
        self.assertEqual((referral.points, referral.lead_id), (50, lead))
        lead.write({"stage_id": lead.stage_id.id})
        self.assertEqual(len(self.advocate.advocacy_activity_ids), 1)

    def test_rewards_redemption_with_approval(self):
        self.env["social.crm.advocacy.activity"].create(
            {"advocate_id": self.advocate.id, "behaviour": "manual", "points": 200, "note": "Meetup talk"}
        )
        self.assertEqual(self.advocate.current_points, 200)
        self.assertEqual(self.advocate.stage_id, self.env.ref("social_crm.advocacy_stage_advocate"))
        Redemption = self.env["social.crm.advocacy.redemption"]
        stickers = self.program.reward_ids.filtered(lambda r: r.name == "Sticker pack")
        ticket = self.program.reward_ids - stickers
        small = Redemption.create({"advocate_id": self.advocate.id, "reward_id": stickers.id})
        self.assertEqual(small.state, "approved")  # under the approval threshold
        big = Redemption.create({"advocate_id": self.advocate.id, "reward_id": ticket.id})
        self.assertEqual(big.state, "requested")
        self.assertEqual(self.advocate.current_points, 30)
        self.assertEqual(self.advocate.lifetime_points, 200)  # spending does not lower the tier
        with self.assertRaisesRegex(UserError, "has 30 points"):
            Redemption.create({"advocate_id": self.advocate.id, "reward_id": ticket.id})
        user = new_test_user(self.env, login="adv_user", groups="social_crm.group_social_crm_user")
        with self.assertRaises(UserError):
            big.with_user(user).action_approve()
        big.action_cancel()
        self.assertEqual(self.advocate.current_points, 180)

    def test_candidate_suggestions(self):
        for text in ("Love this!", "Great support, thanks", "Best app ever, thank you"):
            self.post(text, email="ben@example.com")
        self.post("Nice work, love it", email="carl@example.com")
        wizard = self.env["social.crm.advocacy.candidate"].create({"program_id": self.program.id})
        wizard.action_compute()
        # Ben (3 positive mentions) is suggested, Ada is already in, Carl is not a contact
        ben_line = wizard.line_ids.filtered(lambda line: line.partner_id == self.stranger)
        self.assertEqual(ben_line.positive_mentions, 3)
        self.assertNotIn(self.partner, wizard.line_ids.partner_id)
        self.assertFalse(wizard.line_ids.filtered(lambda line: line.partner_id.email == "carl@example.com"))
        wizard.line_ids.selected = False
        ben_line.selected = True
        wizard.action_enroll()
        ben = self.env["social.crm.advocate"].search([("partner_id", "=", self.stranger.id)])
        self.assertEqual(ben.stage_id, self.env.ref("social_crm.advocacy_stage_candidate"))

    def test_other_companies_do_not_see_the_program(self):
        self.post("Love it, thanks!")
        company_b = self.env["res.company"].create({"name": "Other company"})
        user_b = new_test_user(
            self.env,
            login="adv_b",
            groups="social_crm.group_social_crm_user",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
        )
        for model in ("social.crm.advocate", "social.crm.advocacy.activity", "social.crm.advocacy.redemption"):
            self.assertFalse(self.env[model].with_user(user_b).search([]), model)
        self.assertTrue(
            self.env["social.crm.advocacy.activity"]
            .with_user(new_test_user(self.env, login="adv_a", groups="social_crm.group_social_crm_user"))
            .search([("advocate_id", "=", self.advocate.id)])
        )

    def test_auto_enroll(self):
        self.program.auto_enroll = True
        self.post("Thanks, love it", email="ben@example.com")
        ben = self.env["social.crm.advocate"].search([("partner_id", "=", self.stranger.id)])
        self.assertEqual(ben.lifetime_points, 10)


@tagged("post_install", "-at_install")
class TestAdvocacyTour(HttpCase):
    def test_advocates_kanban_drag_and_drop(self):
        program = self.env["social.crm.advocacy.program"].create(
            {"name": "Tour program", "tier_ids": [(0, 0, {"name": "Bronze", "min_points": 0})]}
        )
        partner = self.env["res.partner"].create({"name": "Tour Advocate"})
        advocate = self.env["social.crm.advocate"].create({"program_id": program.id, "partner_id": partner.id})
        self.env["social.crm.advocacy.activity"].create(
            {"advocate_id": advocate.id, "behaviour": "manual", "points": 15}
        )
        self.assertEqual(advocate.stage_id, self.env.ref("social_crm.advocacy_stage_candidate"))
        self.start_tour("/odoo", "social_crm_advocacy_kanban", login="admin")
        self.assertEqual(advocate.stage_id, self.env.ref("social_crm.advocacy_stage_engaged"))
