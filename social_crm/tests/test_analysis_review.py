from unittest.mock import patch

from odoo.tests import Form, new_test_user, tagged

from odoo.addons.social_crm.models import social_crm_mention_analysis
from odoo.addons.social_crm.text_analysis import ANALYZER_VERSION

from .test_understanding import UnderstandingCase


@tagged("post_install", "-at_install")
class TestAnalysisReview(UnderstandingCase):
    """Drivers, staff corrections (kept and used), the agreement report, background re-analysis."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(
            cls.env, login="care_agent", groups="social_crm.group_social_crm_user,helpdesk_mgmt.group_helpdesk_user"
        )

    def review(self, mention, sentiment=None, intent=None):
        """Press "Review analysis" on the mention, as the agent, and save."""
        mention = mention.with_user(self.agent)
        with Form.from_action(self.env(user=self.agent), mention.action_review_analysis()) as form:
            if sentiment is not None:
                form.sentiment = sentiment
            if intent is not None:
                form.intent = intent
            record = form.save()
        record.action_apply()
        self.env.invalidate_all()

    def make_old(self, mentions):
        """As if analysed by an earlier analyzer version (and every other mention by this one)."""
        self.env.cr.execute("UPDATE social_crm_mention SET analysis_version = %s", [ANALYZER_VERSION])
        self.env.cr.execute(
            "UPDATE social_crm_mention SET analysis_version = 'langdetect-1.0.9+vader-3.3.2+rules-1' WHERE id IN %s",
            [tuple(mentions.ids)],
        )
        self.env.invalidate_all()

    def test_drivers_are_stored_shown_and_explain_the_ticket_priority(self):
        mention = self.ingest("The export is down again and support is not answering. Terrible service.")
        self.process()
        self.assertEqual(mention.sentiment_label, "negative")
        self.assertIn("'is down' -2.2", mention.sentiment_drivers)
        self.assertIn("'Terrible' -2.1", mention.sentiment_drivers)
        self.assertEqual(mention.analysis_sentiment_label, "negative")
        self.assertEqual(mention.analysis_intent, mention.intent)
        explanation = mention.ticket_id.social_priority_explanation
        self.assertRegex(explanation, r"negative sentiment -0\.\d\d \(\+\d+\.\d\): 'is down' -2\.2")

    def test_support_words_and_politeness_do_not_make_a_complaint_positive(self):
        mention = self.ingest("Still waiting on hold for 2 hours, please help. Thanks for the support.")
        self.process()
        self.assertEqual(mention.sentiment_label, "negative", mention.sentiment_drivers)
        self.assertNotIn("'support'", mention.sentiment_drivers)
        self.assertEqual(mention.intent, "complaint")
        self.assertTrue(mention.ticket_id)

    def test_correction_is_used_by_routing_and_priority_and_kept_on_reanalysis(self):
        mention = self.ingest("Just got the new release, interesting choice of colours", handle="ines")
        self.process()
        self.assertEqual(mention.state, "analysed")
        self.assertFalse(mention.ticket_id)
        analysed = mention.analysis_sentiment_label
        self.review(mention, sentiment="negative", intent="complaint")
        self.assertEqual((mention.staff_sentiment, mention.staff_intent), ("negative", "complaint"))
        self.assertEqual((mention.sentiment_label, mention.intent), ("negative", "complaint"))
        self.assertEqual(mention.reviewed_by_id, self.agent)
        self.assertEqual(mention.analysis_sentiment_label, analysed)  # what the analysis said is kept apart
        self.assertEqual(mention.sentiment_score, -0.5)  # counts as negative in averages and priority
        # it was not routed: now a complaint, it gets its ticket, with the priority of a complaint
        ticket = mention.ticket_id
        self.assertTrue(ticket)
        self.assertEqual(mention.state, "routed")
        self.assertEqual(mention.routing_rule_id, self.env.ref("social_crm.routing_rule_complaint"))
        self.assertIn("complaint (+15)", ticket.social_priority_explanation)
        self.assertIn("negative sentiment -0.50 (+15.0): set by staff", ticket.social_priority_explanation)
        # analysed again by a new version: the correction stays, and so does the ticket
        self.make_old(mention)
        self.Mention._cron_reanalyse_mentions()
        self.env.invalidate_all()
        self.assertEqual(mention.analysis_version, ANALYZER_VERSION)
        self.assertEqual((mention.sentiment_label, mention.intent), ("negative", "complaint"))
        self.assertEqual(mention.sentiment_score, -0.5)
        self.assertEqual(mention.analysis_sentiment_label, analysed)
        self.assertEqual(mention.ticket_id, ticket)
        # "Analyse again" by hand keeps it too
        mention.action_reanalyse()
        self.assertEqual((mention.sentiment_label, mention.intent), ("negative", "complaint"))

    def test_correction_changes_the_priority_of_the_open_ticket(self):
        mention = self.ingest("Where can I find the invoice of my order?", handle="jon")
        self.process()
        ticket = mention.ticket_id
        self.assertTrue(ticket)
        before = ticket.social_priority_score
        self.review(mention, sentiment="negative", intent="complaint")
        self.assertGreater(ticket.social_priority_score, before)
        self.assertIn("complaint (+15)", ticket.social_priority_explanation)

    def test_emptied_correction_gives_the_analysis_back(self):
        self.env.company.social_crm_languages = "de,fr,es,pl"
        mention = self.ingest("Nowa aplikacja jest już dostępna w sklepie od dzisiaj rana", handle="kai")
        self.process()
        self.assertEqual(mention.sentiment_label, "not_scored")
        self.review(mention, sentiment="positive")
        self.assertEqual((mention.sentiment_label, mention.sentiment_score), ("positive", 0.5))
        self.review(mention, sentiment=False)
        self.assertEqual(mention.sentiment_label, "not_scored")
        self.assertTrue(mention.reviewed_at)  # the intent is still reviewed
        self.env.cr.execute("SELECT sentiment_score FROM social_crm_mention WHERE id = %s", [mention.id])
        self.assertIsNone(self.env.cr.fetchone()[0])  # NULL again, not 0.0
        self.review(mention, sentiment=False, intent=False)
        self.assertFalse(mention.reviewed_at)  # nothing left: the review is withdrawn
        self.assertEqual(mention.intent, mention.analysis_intent)

    def test_agreement_report_by_language_and_intent(self):
        self.env.company.social_crm_languages = "de,fr,es"
        confirmed = self.ingest("My order never arrived and nobody answers my emails", handle="lea")
        corrected = self.ingest("Der Zug hat schon wieder Verspätung, danke für nichts", handle="max")
        praise = self.ingest("I love the new dashboard, great job!", handle="ned")
        self.ingest("Thanks for the quick answer yesterday", handle="ola")  # not reviewed: not in the report
        self.process()
        self.review(confirmed)  # saved as proposed: the analysis is confirmed
        self.review(corrected, sentiment="negative", intent="praise")
        self.review(praise, intent="praise")
        action = self.env.ref("social_crm.social_crm_analysis_agreement_action")
        Report = self.env[action.res_model].with_user(self.agent)
        self.assertEqual(Report.search([]).mention_id, confirmed | corrected | praise)
        rows = {
            (language, intent): (count, sentiment, intent_agreement)
            for language, intent, count, sentiment, intent_agreement in Report._read_group(
                [],
                ["language", "intent"],
                ["__count", "sentiment_agreement:avg", "intent_agreement:avg"],
            )
        }
        self.assertEqual(rows[("en", "complaint")], (1, 100.0, 100.0))
        self.assertEqual(rows[("de", "praise")][0], 1)
        self.assertEqual(rows[("de", "praise")][2], 0.0)  # complaint said, staff read praise
        self.assertEqual(rows[("en", "praise")][2], 100.0)
        [[overall]] = Report._read_group([], [], ["intent_agreement:avg"])
        self.assertAlmostEqual(overall, 200 / 3, places=1)

    def test_reanalysis_in_batches_keeps_tickets_and_routes_new_complaints(self):
        routed = self.ingest("Your app is broken and support never answers, terrible", handle="pia")
        quiet = self.ingest("My parcel never arrived, it has been two weeks", handle="quinn")
        self.process()
        ticket = routed.ticket_id
        self.assertTrue(ticket)
        # as an earlier analyzer read it: no cue, nothing to route
        self.env.cr.execute(
            """UPDATE social_crm_mention SET intent = 'other', analysis_intent = 'other', sentiment_label = 'neutral',
                      analysis_sentiment_label = 'neutral', sentiment_score = 0, state = 'analysed',
                      ticket_id = NULL, routing_rule_id = NULL, routing_note = 'No routing rule matched'
                WHERE id = %s""",
            [quiet.id],
        )
        quiet.ticket_id.unlink()
        self.make_old(routed | quiet)
        with patch.object(social_crm_mention_analysis, "REANALYSE_BATCH", 1):
            self.Mention._cron_reanalyse_mentions()
            self.env.invalidate_all()
            self.assertEqual(routed.analysis_version, ANALYZER_VERSION)  # the first batch: one mention
            self.assertNotEqual(quiet.analysis_version, ANALYZER_VERSION)
            self.Mention._cron_reanalyse_mentions()
            self.env.invalidate_all()
        self.assertEqual(routed.ticket_id, ticket)  # routed mentions keep their ticket
        self.assertEqual(routed.state, "routed")
        self.assertEqual(quiet.analysis_version, ANALYZER_VERSION)
        self.assertEqual(quiet.intent, "complaint")
        self.assertTrue(quiet.ticket_id)  # now read as a complaint, and it had not been routed
        self.assertNotEqual(quiet.ticket_id, ticket)
        self.assertFalse(self.Mention.search_count(self.Mention._reanalysis_domain()))

    def test_demo_flagship_complaint_reads_negative(self):
        mention = self.env.ref("social_crm.demo_mention_m05", raise_if_not_found=False)
        if not mention:
            self.skipTest("no demo data")
        self.assertIn("Terrible service, I want a refund.", mention.text)
        self.assertEqual(mention.sentiment_label, "negative")
        self.assertLess(mention.sentiment_score, -0.5)
        self.assertIn("'is down' -2.2", mention.sentiment_drivers)
        self.assertIn("'not answering' -2.0", mention.sentiment_drivers)
        self.assertEqual(mention.intent, "complaint")
        ticket = mention.ticket_id
        self.assertTrue(ticket)
        self.assertIn("negative sentiment", ticket.social_priority_explanation)
        self.assertIn("'is down' -2.2", ticket.social_priority_explanation)
        self.assertNotIn("positive score", ticket.social_priority_explanation)
