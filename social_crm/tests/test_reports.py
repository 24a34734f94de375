from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

REPORTS = (
    "social_crm.social_crm_mention_action_report",
    "social_crm.social_crm_mention_action_intent",
    "social_crm.helpdesk_ticket_action_social_response",
    "social_crm.helpdesk_ticket_action_social",
    "social_crm.social_crm_advocate_action_leaderboard",
)


@tagged("post_install", "-at_install")
class TestReports(TransactionCase):
    def pivot_arch(self, xmlid):
        view = self.env.ref(xmlid)
        return self.env[view.model].get_view(view.id, "pivot")["arch"]

    def test_every_report_drills_down_to_its_records(self):
        # regression: the report lists had no form view, so their rows opened nothing
        for xmlid in REPORTS:
            action = self.env.ref(xmlid)
            modes = [mode for _view, mode in action.views]
            self.assertIn("list", modes, xmlid)
            self.assertIn("form", modes, xmlid)

    def test_pivots_count_beside_the_averages(self):
        for xmlid, measure in (
            ("social_crm.social_crm_mention_view_pivot_report", "sentiment_score"),
            ("social_crm.social_crm_mention_view_pivot", "sentiment_score"),
            ("social_crm.social_crm_mention_view_pivot_intent", "sentiment_score"),
            ("social_crm.helpdesk_ticket_view_pivot_social", "social_first_response_hours"),
        ):
            arch = self.pivot_arch(xmlid)
            # the count first, then the average (the web client puts the count first with display_quantity)
            self.assertIn('display_quantity="1"', arch, xmlid)
            self.assertIn(f'name="{measure}" type="measure"', arch, xmlid)

    def test_intent_is_a_dimension_of_its_report(self):
        action = self.env.ref("social_crm.social_crm_mention_action_intent")
        pivot = dict((mode, view) for view, mode in action.views)["pivot"]
        self.assertEqual(pivot, self.env.ref("social_crm.social_crm_mention_view_pivot_intent").id)
        self.assertIn('name="intent" type="row"', self.pivot_arch("social_crm.social_crm_mention_view_pivot_intent"))

    def test_not_scored_is_a_value_with_a_count_and_no_average(self):
        account = self.env["social.crm.account"].create({"name": "Feeds", "platform": "rss"})
        Mention = self.env["social.crm.mention"]
        common = {"platform": "rss", "account_id": account.id}
        Mention.create(
            [
                dict(common, external_id="r1", text="Sehr gut", sentiment_label="not_scored"),
                dict(common, external_id="r2", text="Très bien", sentiment_label="not_scored"),
                dict(common, external_id="r3", text="Great", sentiment_label="positive", sentiment_score=0.6),
            ]
        )
        groups = {
            label: (count, average)
            for label, count, average in Mention._read_group(
                [("account_id", "=", account.id)], ["sentiment_label"], ["__count", "sentiment_score:avg"]
            )
        }
        count, average = groups["not_scored"]
        self.assertEqual(count, 2)
        self.assertIs(average, False)  # no score, not 0.0
        self.assertEqual(groups["positive"][0], 1)
        labels = dict(Mention._fields["sentiment_label"]._description_selection(self.env))
        self.assertEqual(labels["not_scored"], "Not scored")

    def test_demo_data_fills_the_first_response_report(self):
        if not self.env.ref("social_crm.demo_mention_m04", raise_if_not_found=False):
            self.skipTest("installed without demo data")
        action = self.env.ref("social_crm.helpdesk_ticket_action_social_response")
        Ticket = self.env["helpdesk.ticket"]
        domain = safe_eval(action.domain)
        answered = Ticket.search(domain)
        self.assertGreaterEqual(len(answered), 3)
        self.assertTrue(all(t.social_first_response_hours > 0 for t in answered))
        [[average]] = Ticket._read_group(domain, [], ["social_first_response_hours:avg"])
        self.assertGreater(average, 1)
        # and some still wait for their answer: one overdue, one on time
        waiting = Ticket.search([("social_mention_id", "!=", False), ("social_first_response_at", "=", False)])
        self.assertEqual(set(waiting.mapped("social_sla_status")), {"overdue", "on_time"})
