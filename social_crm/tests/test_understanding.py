import datetime
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.social_crm.connectors import Author, Mention

from .common import SocialCrmCase

UTC = datetime.timezone.utc


class UnderstandingCase(SocialCrmCase):
    """A helpdesk team on the default ticket rules; ``ingest`` and ``process`` mentions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write({"social_crm_languages": "de,fr,es", "social_crm_identity_policy": "review"})
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Social care",
                "user_id": cls.env.ref("base.user_admin").id,
                "user_ids": [(6, 0, cls.env.ref("base.user_admin").ids)],
            }
        )
        cls.env.ref("social_crm.routing_rule_complaint").helpdesk_team_id = cls.team
        cls.env.ref("social_crm.routing_rule_question").helpdesk_team_id = cls.team
        cls.env.ref("social_crm.routing_rule_negative").helpdesk_team_id = cls.team
        cls.counter = 0

    def ingest(
        self,
        text,
        handle="alice",
        thread="",
        parent="",
        followers=1500,
        bio="",
        website="",
        stream=None,
        likes=3,
        external_id=None,
    ):
        type(self).counter += 1
        mention = Mention(
            platform=(stream or self.x_stream).platform,
            external_id=external_id or f"m{self.counter}",
            text=text,
            url=f"https://x.com/{handle}/status/{self.counter}",
            posted_at=datetime.datetime.now(UTC) - timedelta(minutes=5),
            author=Author(
                handle=handle,
                name=handle.title(),
                external_id=f"id-{handle}",
                followers=followers,
                bio=bio,
                website=website,
                url=f"https://x.com/{handle}",
            ),
            thread_id=thread,
            parent_id=parent,
            like_count=likes,
        )
        return self.Mention._ingest(stream or self.x_stream, [mention])

    def process(self):
        self.Mention._cron_process_mentions()
        self.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestUnderstandAndAct(UnderstandingCase):
    # ---------------------------------------------------------------- analysis

    def test_languages_with_a_lexicon_are_scored_others_are_null_not_zero(self):
        self.env.company.social_crm_languages = "de,fr,es,pl"
        english = self.ingest("I love this product, thank you so much!")
        german = self.ingest("Die neue App ist da und sie ist wirklich schön")
        polish = self.ingest("Nowa aplikacja jest już dostępna w sklepie od dzisiaj rana")
        emoji = self.ingest("🔥🔥🔥")
        self.process()
        self.assertEqual((english.language, english.sentiment_label), ("en", "positive"))
        self.assertGreater(english.sentiment_score, 0.5)
        self.assertIn("'love'", english.sentiment_drivers)
        # German has a lexicon (the project's own words)
        self.assertEqual((german.language, german.sentiment_label), ("de", "positive"))
        self.assertIn("'schön'", german.sentiment_drivers)
        # Polish has none: not scored, and no number
        self.assertEqual((polish.language, polish.sentiment_label), ("pl", "not_scored"))
        self.assertFalse(polish.sentiment_drivers)
        self.assertEqual(emoji.language, "und")
        self.assertTrue(emoji.is_noise)
        self.env.cr.execute(
            "SELECT id, sentiment_score FROM social_crm_mention WHERE id IN %s", [tuple((english | polish | emoji).ids)]
        )
        stored = dict(self.env.cr.fetchall())
        self.assertIsNone(stored[polish.id])  # NULL: averages ignore it
        self.assertIsNone(stored[emoji.id])
        self.assertIsNotNone(stored[english.id])
        self.assertTrue(english.analysis_version.startswith("langdetect-1.0.9"))
        [[avg]] = self.Mention._read_group([("id", "in", (english | polish).ids)], [], ["sentiment_score:avg"])
        self.assertAlmostEqual(avg, english.sentiment_score, places=3)

    def test_reanalysis_resets_score_to_null(self):
        self.env.company.social_crm_languages = "de,fr,es,pl"
        mention = self.ingest("Great service, thanks!")
        self.process()
        self.assertTrue(mention.sentiment_score)
        mention.sudo().write({"text": "Świetna obsługa, bardzo dziękuję całemu zespołowi za pomoc!"})
        mention.action_reanalyse()
        self.env.cr.execute("SELECT sentiment_score FROM social_crm_mention WHERE id = %s", [mention.id])
        self.assertIsNone(self.env.cr.fetchone()[0])
        self.assertEqual(mention.sentiment_label, "not_scored")

    # ----------------------------------------------------------------- routing

    def test_complaint_becomes_a_social_ticket_with_explained_priority(self):
        mention = self.ingest(
            "URGENT: your app is not working and I want a refund. Worst service ever!", followers=250_000
        )
        self.process()
        ticket = mention.ticket_id
        self.assertTrue(ticket)
        self.assertEqual(mention.state, "routed")
        self.assertEqual(mention.intent, "complaint")
        self.assertEqual(ticket.channel_id, self.env.ref("social_crm.helpdesk_ticket_channel_social"))
        self.assertEqual(ticket.team_id, self.team)
        self.assertFalse(ticket.user_id)  # left for the team, not given to the cron's user
        self.assertEqual(ticket.stage_id, self.team._get_applicable_stages()[:1])
        # 26.8 (sentiment -0.89) + 15 (complaint) + 12 (influence 48) + 15 (urgent) = 69: Very High (65+)
        self.assertEqual(ticket.priority, "3", ticket.social_priority_explanation)
        self.assertEqual(ticket.social_priority_score, 69)
        self.assertIn("urgency: urgent", ticket.social_priority_explanation)
        # the sentiment reason says which words drove it
        self.assertIn("negative sentiment -0.89 (+26.8): 'Worst' -3.1", ticket.social_priority_explanation)
        self.assertIn("'is not working' -2.0", ticket.social_priority_explanation)
        self.assertIn("author influence", ticket.social_priority_explanation)
        self.assertEqual(ticket.social_sentiment_label, "negative")
        self.assertEqual(ticket.social_influence, mention.author_id.influence_score)
        self.assertIn("refund", ticket.description)
        # the clock starts when the customer posted, not when the ticket was made
        self.assertEqual(ticket.social_sla_start, mention.posted_at)
        hours = (ticket.social_response_deadline - mention.posted_at).total_seconds() / 3600
        self.assertAlmostEqual(hours, self.env.company.social_crm_sla_hours_urgent, places=2)

    def test_same_conversation_same_ticket(self):
        first = self.ingest("My order never arrived, this is unacceptable", thread="conv-1")
        self.process()
        second = self.ingest("Still waiting for an answer about my order!", thread="conv-1")
        reply = self.ingest(
            "Why is nobody answering? Broken support\nSee https://status.acme.example/incident <b>now</b>",
            parent=first.external_id,
        )
        self.process()
        self.assertTrue(first.ticket_id)
        self.assertEqual(second.ticket_id, first.ticket_id)
        self.assertEqual(reply.ticket_id, first.ticket_id)
        self.assertEqual(self.env["helpdesk.ticket"].search_count([("social_thread_key", "=", "x:conv-1")]), 1)
        self.assertEqual(first.ticket_id.social_mention_count, 3)
        # each message of the conversation is a chatter message, in full view: the
        # chatter folds away what html_sanitize marks as quoted (data-o-mail-quote)
        [_still] = first.ticket_id.message_ids.filtered(lambda m: "Still waiting" in (m.body or ""))
        [note] = first.ticket_id.message_ids.filtered(lambda m: "Why is nobody answering?" in (m.body or ""))
        self.assertNotIn("data-o-mail-quote", note.body)
        # the customer's words as text: line breaks kept, links clickable, markup escaped
        self.assertIn('<a href="https://status.acme.example/incident"', note.body)
        self.assertRegex(note.body, r"support<br/?>See")
        self.assertIn("&lt;b&gt;now&lt;/b&gt;", note.body)
        # a closed ticket is not reopened: a new conversation message opens a new one
        first.ticket_id.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        later = self.ingest("It broke again, terrible", thread="conv-1")
        self.process()
        self.assertNotEqual(later.ticket_id, first.ticket_id)

    def test_question_ticket_purchase_lead_praise_kept_noise_ignored(self):
        question = self.ingest("How do I export my invoices to CSV?")
        purchase = self.ingest("How much is the enterprise plan for 50 users? Looking for a quote", handle="bob")
        praise = self.ingest("Thank you, the new release is amazing!", handle="carol")
        noise = self.ingest("@acme 🔥", handle="dave")
        self.process()
        self.assertEqual(question.intent, "question")
        self.assertTrue(question.ticket_id)
        self.assertEqual(purchase.intent, "purchase_intent")
        lead = purchase.lead_id
        self.assertTrue(lead)
        self.assertEqual(lead.social_mention_id, purchase)
        self.assertIn("enterprise plan", lead.description)
        # the sales team's assignment takes it (one of its members), never the cron's own user
        self.assertNotEqual(lead.user_id, self.env.ref("base.user_root"))
        self.assertIn(lead.user_id, lead.team_id.crm_team_member_ids.user_id | lead.team_id.user_id)
        self.assertFalse(purchase.ticket_id)
        self.assertEqual((praise.state, praise.intent), ("analysed", "praise"))
        self.assertFalse(praise.ticket_id or praise.lead_id)
        self.assertEqual(noise.state, "ignored")
        # a second purchase mention of the same author joins the open lead
        again = self.ingest("Also, is there a discount for nonprofits? price please", handle="bob")
        self.process()
        self.assertEqual(again.lead_id, lead)

    def test_one_lead_per_author_within_a_batch_and_notes_for_the_rest(self):
        first = self.ingest("How much is the pro plan? Looking for a quote", handle="erin")
        second = self.ingest("Also, what is the price for 20 seats? quote please", handle="erin")
        other = self.ingest("Interested in buying the enterprise plan, what does it cost?", handle="frank")
        self.process()
        self.assertEqual({m.intent for m in first | second | other}, {"purchase_intent"})
        self.assertTrue(first.lead_id)
        self.assertEqual(second.lead_id, first.lead_id)
        self.assertNotEqual(other.lead_id, first.lead_id)
        self.assertEqual(first.lead_id.social_mention_id, first)
        self.assertEqual((first | second).mapped("state"), ["routed", "routed"])
        self.assertEqual(second.routing_note, first.lead_id.display_name)
        notes = first.lead_id.message_ids.filtered(lambda m: "20 seats" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertFalse(other.lead_id.message_ids.filtered(lambda m: "20 seats" in (m.body or "")))

    def test_unmatched_mention_note_and_reanalysis_keeps_routing(self):
        unmatched = self.ingest("Just landed in Lisbon, lovely weather today", handle="gina")
        complaint = self.ingest("Your app is broken and support never answers, terrible", handle="hank")
        self.process()
        self.assertEqual(unmatched.state, "analysed")
        self.assertEqual(unmatched.routing_note, "No routing rule matched")
        self.assertFalse(unmatched.routing_rule_id)
        note = complaint.routing_note
        self.assertEqual(note, complaint.ticket_id.display_name)
        complaint.action_reanalyse()
        self.assertEqual((complaint.state, complaint.routing_note), ("routed", note))

    def test_ticket_numbers_are_drawn_from_the_helpdesk_sequence(self):
        sequence = self.env["ir.sequence"].search([("code", "=", "helpdesk.ticket.sequence")], limit=1)
        texts = ["My parcel is lost, awful service", "The app crashes on login, fix it", "Refund me now, broken"]
        mentions = self.Mention.browse()
        for index, text in enumerate(texts):
            mentions |= self.ingest(text, handle=f"num{index}")
        self.process()
        tickets = mentions.ticket_id
        self.assertEqual(len(tickets), 3)
        self.assertEqual(len(set(tickets.mapped("number"))), 3)
        for number in tickets.mapped("number"):
            self.assertTrue(number.startswith(sequence.prefix or ""), number)
            self.assertNotEqual(number, "/")
        # the next ticket created by hand follows them
        later = self.env["helpdesk.ticket"].create({"name": "By hand", "description": "<p>x</p>"})
        self.assertGreater(later.number, max(tickets.mapped("number")))
        # a gapless sequence is left to helpdesk, which numbers each ticket itself
        sequence.implementation = "no_gap"
        self.assertEqual(self.env["helpdesk.ticket"]._social_reserve_numbers(self.env.company, 2), [])
        gapless = self.ingest("Still broken, worst app ever, refund", handle="num9")
        self.process()
        self.assertTrue(gapless.ticket_id.number.startswith(sequence.prefix or ""))
        self.assertNotIn(gapless.ticket_id.number, tickets.mapped("number"))

    def test_author_last_seen_is_their_latest_mention(self):
        older = self.ingest("Nice weather for a walk", handle="ivy")
        newer = self.ingest("Back home after the walk", handle="ivy")
        newer.sudo().posted_at = fields.Datetime.now() - timedelta(minutes=1)
        older.sudo().posted_at = fields.Datetime.now() - timedelta(days=2)
        self.process()
        self.assertEqual(newer.author_id.last_seen_at, newer.posted_at)

    def test_dry_run_creates_nothing(self):
        self.ingest("The app crashed again, I want a refund")
        self.ingest("What's the price of the pro plan? want to buy", handle="bob")
        self.Mention.search([("state", "=", "new")])._analyze()
        tickets = self.env["helpdesk.ticket"].search_count([])
        leads = self.env["crm.lead"].search_count([])
        preview = self.env["social.crm.routing.preview"].create(
            {"rule_ids": [(6, 0, self.env["social.crm.routing.rule"].search([]).ids)], "limit": 2}
        )
        preview.action_compute()
        self.assertEqual(preview.ticket_count, 1)
        self.assertEqual(preview.lead_count, 1)
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), tickets)
        self.assertEqual(self.env["crm.lead"].search_count([]), leads)
        line = preview.line_ids.filtered(lambda line: line.action == "ticket")
        self.assertEqual(line.rule_id, self.env.ref("social_crm.routing_rule_complaint"))
        self.assertTrue(line.priority)

    def test_custom_rule_with_keywords_and_influence_wins_by_sequence(self):
        vip_team = self.env["helpdesk.ticket.team"].create({"name": "VIP"})
        self.env["social.crm.routing.rule"].create(
            {
                "name": "VIP",
                "sequence": 1,
                "min_influence": 40,
                "keywords": "broken",
                "action": "ticket",
                "helpdesk_team_id": vip_team.id,
            }
        )
        big = self.ingest("The checkout is broken", handle="star", followers=5_000_000)
        small = self.ingest("The checkout is broken", handle="nobody", followers=3)
        self.process()
        self.assertEqual(big.ticket_id.team_id, vip_team)
        self.assertEqual(small.ticket_id.team_id, self.team)

    # ----------------------------------------------------------------- identity

    def test_identity_resolution_by_email_and_website(self):
        by_email = self.env["res.partner"].create({"name": "Eve Corp", "email": "eve@example.com"})
        by_site = self.env["res.partner"].create({"name": "Frank", "website": "https://www.frank.example/"})
        eve = self.ingest("hello there friends", handle="eve", bio="Contact: Eve@Example.com")
        frank = self.ingest("hello there friends", handle="frank", website="http://frank.example")
        stranger = self.ingest("hello there friends", handle="zed")
        self.process()
        self.assertEqual(eve.partner_id, by_email)
        self.assertEqual(eve.author_id.match_method, "email")
        self.assertEqual(frank.partner_id, by_site)
        self.assertEqual(frank.author_id.match_method, "website")
        self.assertFalse(stranger.partner_id)
        self.assertEqual(stranger.author_id.review_state, "to_review")
        # reviewing: a manual link is recorded as such
        stranger.author_id.partner_id = by_site
        self.assertEqual(stranger.author_id.match_method, "manual")
        self.assertEqual(by_site.social_author_ids, frank.author_id | stranger.author_id)

    def test_policy_create_makes_a_contact(self):
        self.env.company.social_crm_identity_policy = "create"
        mention = self.ingest("hello there friends", handle="newbie")
        self.process()
        self.assertTrue(mention.partner_id)
        self.assertEqual(mention.partner_id.name, "Newbie")
        self.assertEqual(mention.author_id.review_state, "created")

    def test_influence_is_computed_with_breakdown(self):
        mention = self.ingest("Nice update", handle="influencer", followers=1_000_000, likes=500)
        self.process()
        author = mention.author_id
        self.assertGreater(author.influence_score, 40)
        components = author.influence_breakdown["components"]
        self.assertEqual(author.influence_score, round(sum(components.values())))
        self.assertIn("reach", author.influence_explanation)
        partner = self.env["res.partner"].create({"name": "Influencer"})
        author.partner_id = partner
        self.assertEqual(partner.social_influence, author.influence_score)

    # ---------------------------------------------------------- SLA / escalation

    def test_overdue_unanswered_tickets_are_escalated(self):
        mention = self.ingest("The app is not working", followers=10)
        self.process()
        ticket = mention.ticket_id
        start_priority = int(ticket.priority)
        answered = self.ingest("Refund please, this is broken", handle="other", thread="t2")
        self.process()
        answered.ticket_id._social_mark_answered()
        with freeze_time(fields.Datetime.now() + timedelta(days=2)):
            escalated = self.env["helpdesk.ticket"]._cron_escalate_social_tickets()
        self.assertIn(ticket, escalated)
        self.assertNotIn(answered.ticket_id, escalated)
        self.assertEqual(int(ticket.priority), min(3, start_priority + 1))
        self.assertEqual(ticket.social_escalation_level, 1)
        activity = ticket.activity_ids
        self.assertEqual(activity.user_id, self.team.user_id)
        self.assertIn("Overdue social ticket", activity.summary)

    # -------------------------------------------------------------------- reply

    def test_reply_from_ticket_posts_logs_and_answers(self):
        mention = self.ingest("My account is broken, help!", external_id="1293593516040269825")
        self.process()
        ticket = mention.ticket_id
        wizard = (
            self.env["social.crm.reply"]
            .with_context(default_ticket_id=ticket.id)
            .create({"body": "Sorry about that, we are on it."})
        )
        self.assertEqual(wizard.mention_id, mention)
        self.assertTrue(wizard.can_post)
        with self.replaying() as mock:
            self.add(
                mock,
                "POST",
                "https://api.twitter.com/2/tweets",
                "x/tweepy/test_client_create_and_delete_tweet__00.json",
            )
            wizard.action_send()
        outgoing = self.Mention.search([("ticket_id", "=", ticket.id), ("direction", "=", "out")])
        self.assertEqual(outgoing.external_id, "1456012973835788293")
        self.assertEqual(outgoing.parent_ref, mention.external_id)
        self.assertTrue(ticket.social_first_response_at)
        self.assertEqual(ticket.social_sla_status, "answered")
        self.assertIn("Replied on X", ticket.message_ids[0].body)
        self.assertIn("Sorry about that, we are on it.", ticket.message_ids[0].body)
        self.assertNotIn("data-o-mail-quote", ticket.message_ids[0].body)

    def test_first_response_time_is_reported(self):
        mention = self.ingest("The export is broken, please help")
        self.process()
        ticket = mention.ticket_id
        with freeze_time(ticket.social_sla_start + timedelta(hours=3, minutes=30)):
            ticket._social_mark_answered()
        self.assertAlmostEqual(ticket.social_first_response_hours, 3.5, places=2)
        [[avg]] = self.env["helpdesk.ticket"]._read_group(
            [("id", "=", ticket.id)], [], ["social_first_response_hours:avg"]
        )
        self.assertAlmostEqual(avg, 3.5, places=2)

    def test_reply_refused_by_platform_is_a_clear_error(self):
        mention = self.ingest("Broken again!!")
        self.process()
        wizard = (
            self.env["social.crm.reply"].with_context(default_ticket_id=mention.ticket_id.id).create({"body": "Hello"})
        )
        with self.replaying() as mock:
            self.add(mock, "POST", "https://api.twitter.com/2/tweets", "x/rtweet/friends8__00.json")
            with self.assertRaisesRegex(UserError, "refused the reply"):
                wizard.action_send()
        self.assertFalse(mention.ticket_id.social_first_response_at)

    def test_platform_without_write_api_gets_a_deep_link(self):
        self.hn_account.active = True
        mention = self.ingest("Your product is broken and support is terrible", stream=self.hn_stream)
        self.process()
        wizard = (
            self.env["social.crm.reply"]
            .with_context(default_ticket_id=mention.ticket_id.id)
            .create({"body": "Answered in the thread"})
        )
        self.assertFalse(wizard.can_post)
        self.assertIn("no API to post replies", wizard.help_text)
        self.assertEqual(wizard.action_open_platform()["url"], mention.url)
        wizard.action_log_manual_reply()
        self.assertTrue(mention.ticket_id.social_first_response_at)

    # ------------------------------------------------------------------ context

    def test_lead_shows_social_context(self):
        partner = self.env["res.partner"].create({"name": "Gina", "email": "gina@example.com"})
        for text in ("I love your product!", "Amazing support, thanks!", "What is the price for 20 seats? want to buy"):
            self.ingest(text, handle="gina", bio="gina@example.com")
        self.process()
        lead = self.env["crm.lead"].search([("partner_id", "=", partner.id)])
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.social_identity_ids.handle, "gina")
        self.assertEqual(len(lead.social_recent_mention_ids), 3)
        self.assertGreater(lead.social_sentiment_avg, 0.3)
        self.assertIn("no earlier data", lead.social_sentiment_trend)
        self.assertEqual(lead.social_influence, lead.social_identity_ids.influence_score)

    def test_helpdesk_user_sees_social_context_and_replies(self):
        agent = new_test_user(self.env, login="agent", groups="helpdesk_mgmt.group_helpdesk_user")
        mention = self.ingest("Terrible service. It stopped working, I want a refund!")
        self.process()
        ticket = mention.ticket_id.with_user(agent)
        self.assertEqual(ticket.social_sentiment_label, "negative")
        self.assertTrue(ticket.social_author_id.display_name)
        wizard = (
            self.env["social.crm.reply"]
            .with_user(agent)
            .with_context(default_ticket_id=ticket.id)
            .create({"body": "On it"})
        )
        self.assertTrue(wizard.can_post)
