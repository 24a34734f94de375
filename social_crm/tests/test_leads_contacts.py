import datetime
from datetime import timedelta

from odoo import fields
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.social_crm.connectors import Author, Mention

from .common import SocialCrmCase

UTC = datetime.timezone.utc
PURCHASE = "What is the price of the enterprise plan for 20 seats? We want to buy this quarter."


class SocialContextCase(SocialCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write({"social_crm_identity_policy": "none", "social_crm_crm_team_id": False})
        cls.counter = 0

    def ingest(self, text, handle="gina", bio="", title="", when=None):
        type(self).counter += 1
        mention = Mention(
            platform="x",
            external_id=f"ctx{self.counter}",
            text=text,
            title=title,
            url=f"https://x.com/{handle}/status/{self.counter}",
            posted_at=when or datetime.datetime.now(UTC) - timedelta(minutes=5),
            author=Author(handle=handle, name=handle.title(), external_id=f"id-{handle}", bio=bio, followers=300),
        )
        created = self.Mention._ingest(self.x_stream, [mention])
        self.Mention._cron_process_mentions()
        self.env.invalidate_all()
        return created


@tagged("post_install", "-at_install")
class TestSocialLeads(SocialContextCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.env.ref("social_crm.routing_rule_purchase")
        cls.sales = [
            new_test_user(cls.env, login=f"social_seller_{n}", groups="sales_team.group_sale_salesman")
            for n in range(3)
        ]
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Social sales",
                "user_id": cls.sales[0].id,
                "crm_team_member_ids": [
                    (0, 0, {"user_id": cls.sales[0].id}),
                    (0, 0, {"user_id": cls.sales[1].id}),
                    (0, 0, {"user_id": cls.sales[2].id, "assignment_optout": True}),
                ],
            }
        )
        cls.rule.write({"crm_team_id": cls.team.id, "user_id": False})

    def test_a_social_lead_has_contact_team_salesperson_source_and_medium(self):
        partner = self.env["res.partner"].create({"name": "Gina", "email": "gina@example.com"})
        mention = self.ingest(PURCHASE, bio="gina@example.com")
        lead = mention.lead_id
        self.assertTrue(lead)
        self.assertEqual(lead.partner_id, partner)
        self.assertEqual(lead.team_id, self.team)
        self.assertIn(lead.user_id, self.sales[0] | self.sales[1])  # the opted-out member takes no lead
        self.assertEqual(lead.source_id.name, "X (Twitter)")
        self.assertEqual(lead.medium_id.name, "Social media")
        # regression: the title was cut at 70 characters
        self.assertEqual(lead.name, f"Gina on X (Twitter): {PURCHASE}")

    def test_the_lead_description_and_the_note_of_a_later_mention_come_from_templates(self):
        first = self.ingest(PURCHASE, handle="hugo")
        lead = first.lead_id
        posted = fields.Datetime.to_string(first.posted_at)
        self.assertEqual(
            str(lead.description),
            f'<p><b>Hugo</b> · <a href="{first.url}" target="_blank" rel="noopener">X (Twitter)</a> · {posted}</p>'
            f"<p>{PURCHASE}</p>",
        )
        second = self.ingest(PURCHASE + " Any discount for teams?", handle="hugo")
        self.assertEqual(second.lead_id, lead)  # the author's open lead
        note = lead.message_ids.filtered(lambda m: "New social mention" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertTrue(str(note.body).startswith("<p><b>New social mention</b></p><p><b>Hugo</b> · <a href="))
        self.assertIn(second.url, str(note.body))

    def test_the_team_shares_leads_between_its_members(self):
        users = self.env["res.users"]
        for handle in ("ana", "ben", "cy", "dee"):
            users |= self.ingest(PURCHASE, handle=handle).lead_id.user_id
        self.assertEqual(users, self.sales[0] | self.sales[1])
        counts = {user: self.env["crm.lead"].search_count([("user_id", "=", user.id)]) for user in users}
        self.assertEqual(set(counts.values()), {2})

    def test_the_rule_salesperson_wins(self):
        self.rule.user_id = self.sales[2]
        self.assertEqual(self.ingest(PURCHASE, handle="eve").lead_id.user_id, self.sales[2])

    def test_without_a_team_on_the_rule_the_company_default_or_first_team(self):
        self.rule.crm_team_id = False
        self.env.company.social_crm_crm_team_id = self.team
        self.assertEqual(self.ingest(PURCHASE, handle="fay").lead_id.team_id, self.team)
        self.env.company.social_crm_crm_team_id = False
        self.assertTrue(self.ingest(PURCHASE, handle="gus").lead_id.team_id)

    def test_a_long_text_without_title_keeps_its_first_line(self):
        text = "Pricing question: " + "we want to buy licences for the whole company " * 10 + "\nSecond line"
        lead = self.ingest(text, handle="hal").lead_id
        self.assertTrue(lead.name.startswith("Hal on X (Twitter): Pricing question: we want to buy"))
        self.assertLessEqual(len(lead.name), len("Hal on X (Twitter): ") + 200)
        self.assertNotIn("Second line", lead.name)

    def test_from_social_media_filter_in_crm(self):
        lead = self.ingest(PURCHASE, handle="ivy").lead_id
        other = self.env["crm.lead"].create({"name": "Walk-in"})
        for xmlid in ("crm.view_crm_case_leads_filter", "crm.view_crm_case_opportunities_filter"):
            arch = self.env["crm.lead"].get_view(self.env.ref(xmlid).id, "search")["arch"]
            self.assertIn('name="from_social_media"', arch, xmlid)
        found = self.env["crm.lead"].search([("social_mention_id", "!=", False)])
        self.assertIn(lead, found)
        self.assertNotIn(other, found)

    def test_sentiment_is_a_label_with_its_trend(self):
        self.env["res.partner"].create({"name": "Jo", "email": "jo@example.com"})
        self.ingest("I love this product, great support, thank you!", handle="jo", bio="jo@example.com")
        lead = self.ingest(PURCHASE, handle="jo", bio="jo@example.com").lead_id
        self.assertEqual(lead.social_sentiment_label, "positive")
        self.assertEqual(lead.social_sentiment_trend_code, "new")
        self.assertIn("no earlier data", lead.social_sentiment_trend)
        form = Form(lead)
        self.assertEqual(form.social_sentiment_label, "positive")


@tagged("post_install", "-at_install")
class TestContactSocialTab(SocialContextCase):
    def test_social_tab_summarises_sentiment_over_time_and_recent_mentions(self):
        partner = self.env["res.partner"].create({"name": "Kim", "email": "kim@example.com"})
        now = datetime.datetime.now(UTC)
        kim = {"handle": "kim", "bio": "kim@example.com"}
        self.ingest("Terrible support, nothing works", when=now - timedelta(days=62), **kim)
        self.ingest("Bof. Je ne sais pas.", when=now - timedelta(days=40), **kim)
        self.ingest("Now it works great, thank you so much!", **kim)
        self.assertEqual(len(partner.social_author_ids), 1)
        self.assertEqual(partner.social_sentiment_label, "positive")
        self.assertEqual(partner.social_sentiment_trend_code, "improving")
        self.assertIn("improving", partner.social_sentiment_trend)
        history = str(partner.social_sentiment_history)
        this_month = fields.Date.today().strftime("%B")
        self.assertIn(this_month, history)
        self.assertIn("Positive", history)
        self.assertIn("Negative", history)
        self.assertEqual(len(partner.social_recent_mention_ids), 3)
        self.assertEqual(partner.social_recent_mention_ids[0].text, "Now it works great, thank you so much!")
        self.assertTrue(all(partner.social_recent_mention_ids.mapped("url")))
        # the tab is on the contact form, with links to each mention
        arch = self.env["res.partner"].get_view(self.env.ref("base.view_partner_form").id)["arch"]
        self.assertIn('name="social_sentiment_history"', arch)
        self.assertIn('name="social_recent_mention_ids"', arch)
        action = partner.action_view_social_mentions()
        self.assertEqual(action["context"]["search_default_partner_id"], partner.id)

    def test_a_contact_without_identity_says_so(self):
        partner = self.env["res.partner"].create({"name": "Lee"})
        self.assertFalse(partner.social_sentiment_history)
        self.assertFalse(partner.social_recent_mention_ids)
        self.assertFalse(partner.social_sentiment_label)
