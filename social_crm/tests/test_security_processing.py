"""Issue 10, point 3: one bad mention never blocks the processing of the others.

The analyzer is patched: one that raises, one that never ends, and a worker
killed in the middle of a batch (simulated by an exception nothing catches)."""

import contextlib
import time
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import mute_logger

from ..connectors import Author, Mention
from ..text_analysis import analyze
from .common import SocialCrmCase

MENTION_MODULE = "odoo.addons.social_crm.models.social_crm_mention"
POISON = "poison text"


class Killed(BaseException):
    """What a worker killed for its time limit looks like to the code: it stops."""


@tagged("post_install", "-at_install")
class TestSecurityProcessing(SocialCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.social_crm_identity_policy = "none"
        cls.account = cls.Account.create({"name": "Feeds", "platform": "rss"})
        cls.stream = cls.Stream.create(
            {"name": "F", "account_id": cls.account.id, "mode": "feed", "target": "https://f.example/feed"}
        )

    def setUp(self):
        super().setUp()
        self.Mention.search([("state", "=", "new")]).write({"state": "ignored"})  # demo data
        texts = ["Thanks, love it!", POISON, "My order is broken, refund please", "How do I reset my password?"]
        self.mentions = self.Mention.sudo()._ingest(
            self.stream,
            [
                Mention(platform="rss", external_id=f"p{i}", text=text, author=Author(handle=f"u{i}"))
                for i, text in enumerate(texts)
            ],
        )
        self.poison = self.mentions.filtered(lambda m: m.text == POISON)
        self.others = self.mentions - self.poison

    def test_a_mention_the_analyzer_fails_on_is_marked_and_skipped(self):
        def failing(text, *args, **kwargs):
            if POISON in text:
                raise RecursionError("maximum recursion depth exceeded")
            return analyze(text, *args, **kwargs)

        with patch(f"{MENTION_MODULE}.analyze", failing), mute_logger(MENTION_MODULE):
            self.Mention._cron_process_mentions()
        self.assertEqual(self.poison.state, "error")
        self.assertIn("RecursionError", self.poison.processing_error)
        self.assertEqual(set(self.others.mapped("state")) - {"routed", "analysed", "ignored"}, set())
        self.assertTrue(self.others.filtered(lambda m: m.ticket_id))
        self.assertFalse(self.Mention.search_count([("id", "in", self.mentions.ids), ("state", "=", "new")]))

    def test_a_mention_the_analyzer_never_finishes_is_cut_off(self):
        def endless(text, *args, **kwargs):
            if POISON in text:
                end = time.monotonic() + 30  # pure Python, like VADER on a hostile text (bounded here)
                while time.monotonic() < end:
                    sum(range(1000))
            return analyze(text, *args, **kwargs)

        self.env["ir.config_parameter"].sudo().set_param("social_crm.analysis_timeout", "0.3")
        with patch(f"{MENTION_MODULE}.analyze", endless), mute_logger(MENTION_MODULE):
            self.Mention._cron_process_mentions()
        self.assertEqual(self.poison.state, "error")
        self.assertIn("took too long", self.poison.processing_error)
        self.assertNotIn("new", self.others.mapped("state"))

    def test_a_mention_whose_routing_fails_is_marked_and_skipped(self):
        thread_key = type(self.Mention)._thread_key

        def failing(mention):
            if mention.text == POISON:
                raise ValueError("no thread for this one")
            return thread_key(mention)

        def complaint(text, *args, **kwargs):
            return analyze("My order is broken, refund please" if POISON in text else text, *args, **kwargs)

        with (
            patch(f"{MENTION_MODULE}.analyze", complaint),
            patch.object(type(self.Mention), "_thread_key", failing),
            mute_logger(MENTION_MODULE),
        ):
            self.Mention._cron_process_mentions()
        self.assertEqual(self.poison.state, "error")
        self.assertIn("no thread for this one", self.poison.processing_error)
        self.assertTrue(self.others.filtered(lambda m: m.ticket_id))
        self.assertNotIn("new", self.others.mapped("state"))

    def test_a_mention_that_kills_the_worker_does_not_come_first_again(self):
        def killing(text, *args, **kwargs):
            if POISON in text:
                raise Killed
            return analyze(text, *args, **kwargs)

        with patch(f"{MENTION_MODULE}.analyze", killing), mute_logger(MENTION_MODULE):
            runs = 0
            while self.Mention.search_count([("id", "in", self.mentions.ids), ("state", "=", "new")]) and runs < 6:
                runs += 1
                with contextlib.suppress(Killed):
                    self.Mention._cron_process_mentions()
        # killed with its batch, then alone twice; the others went through meanwhile
        self.assertEqual(runs, 4)
        self.assertEqual(self.poison.state, "error")
        self.assertEqual(self.poison.process_attempts, 3)
        self.assertIn("did not finish 3 times", self.poison.processing_error)
        self.assertNotIn("new", self.others.mapped("state"))

    def test_a_failed_mention_is_processed_again_from_its_form(self):
        self.poison.write({"state": "error", "processing_error": "RecursionError"})
        self.poison.action_process()
        self.assertIn(self.poison.state, ("analysed", "routed", "ignored"))
        self.assertFalse(self.poison.processing_error)
