import datetime

from odoo.tests import Form, tagged

from odoo.addons.social_crm.connectors import Author, Mention

from .test_understanding import UnderstandingCase

UTC = datetime.timezone.utc


@tagged("post_install", "-at_install")
class TestAddressedToUs(UnderstandingCase):
    """A negative post goes to the helpdesk when it is addressed to us; one that a keyword search
    found (a bad day, a game, politics) does not, unless it is a complaint or a question."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.x_account.username = "AcmeCorp"
        cls.mentions_stream = cls.Stream.create(
            {"name": "Our mentions", "account_id": cls.x_account.id, "mode": "mentions"}
        )

    def test_what_is_addressed_to_us(self):
        named = self.ingest("@acmecorp Tweepy release notes are out")
        named_twice = self.ingest("cc @AcmeCorp. and @someone about Tweepy")
        found = self.ingest("Tweepy release notes are out, cc @someone")
        ours = self.ingest("hello", stream=self.mentions_stream)
        comment = self.ingest("nice video", stream=self.yt_stream)
        delivered = self.Mention._ingest(
            self.Stream,
            [
                Mention(
                    platform="x",
                    external_id="webhook-1",
                    text="hello from a webhook",
                    url="https://x.com/bob/status/1",
                    posted_at=datetime.datetime.now(UTC),
                    author=Author(handle="bob", name="Bob", external_id="id-bob"),
                )
            ],
            account=self.x_account,
        )
        self.assertEqual(
            [m.addressed for m in (named, named_twice, found, ours, comment, delivered)],
            [True, True, False, True, True, True],
        )

    def test_a_handle_the_stream_watches_is_ours(self):
        watched = self.Stream.create(
            {"name": "Support handle", "account_id": self.x_account.id, "mode": "search", "handles": "@AcmeHelp"}
        )
        self.assertTrue(self.ingest("@acmehelp my card was charged twice", stream=watched).addressed)
        self.assertFalse(self.ingest("@acmehelpers are great", stream=watched).addressed)

    def test_an_answer_to_our_reply_is_addressed_to_us(self):
        ours = self.Mention.create(
            {
                "platform": "x",
                "external_id": "our-reply-1",
                "account_id": self.x_account.id,
                "text": "Sorry about that, we are looking into it",
                "direction": "out",
                "state": "routed",
            }
        )
        answer = self.ingest("meh, still nothing on Tweepy", parent=ours.external_id)
        self.assertTrue(answer.addressed)

    def test_negative_chatter_is_no_ticket_unless_addressed_to_us(self):
        chatter = self.ingest("Sick as a dog today, no Tweepy for me", handle="chatter")
        addressed = self.ingest("@AcmeCorp sick as a dog today, no Tweepy for me", handle="addresser")
        complaint = self.ingest("Tweepy keeps crashing when I log in", handle="customer")
        self.process()
        self.assertEqual((chatter.sentiment_label, chatter.intent), ("negative", "other"))
        self.assertFalse(chatter.ticket_id, "a bad mood that names the brand is no ticket")
        self.assertEqual(addressed.routing_rule_id, self.env.ref("social_crm.routing_rule_negative"))
        self.assertTrue(addressed.ticket_id)
        # a complaint goes to the helpdesk wherever it was heard
        self.assertEqual(complaint.intent, "complaint")
        self.assertEqual(complaint.routing_rule_id, self.env.ref("social_crm.routing_rule_complaint"))
        self.assertTrue(complaint.ticket_id)

    def test_the_condition_is_set_on_the_rule_form(self):
        rule = self.env.ref("social_crm.routing_rule_negative")
        self.assertTrue(rule.addressed)
        with Form(rule) as form:
            form.addressed = False
        chatter = self.ingest("Sick as a dog today, no Tweepy for me", handle="chatter2")
        self.process()
        self.assertEqual(chatter.routing_rule_id, rule, "without the condition every negative post is ticketed")
        self.assertTrue(chatter.ticket_id)
