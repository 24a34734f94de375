"""Crons and data over time (issue 16 part 6): the escalation cron in batches,
old raw payloads trimmed to what replies read, sizes and the back-off cap from
system parameters, the pull cron on the account model."""

import importlib.util
import os
from datetime import timedelta
from unittest.mock import patch
from urllib.parse import parse_qs

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.social_crm.connectors import TransientError

from .test_engage import EngageCase, direct_status


@tagged("post_install", "-at_install")
class TestRawPayloadVacuum(EngageCase):
    def setUp(self):
        super().setUp()
        self.params = self.env["ir.config_parameter"].sudo()

    def age(self, mentions, days):
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE social_crm_mention SET create_date = create_date - %s WHERE id IN %s",
            [timedelta(days=days), tuple(mentions.ids)],
        )
        self.env.invalidate_all()

    def test_old_payloads_keep_what_replies_read_and_the_reply_still_works(self):
        status = direct_status()
        self.params.set_param("social_crm.raw_payload_days", "30")
        old, ticket = self.ticket_of(
            "Hello, my account is broken and I am locked out, please help",
            platform="mastodon",
            handle=status["account"]["acct"],
            external_id="direct-old",
            raw=status,
        )
        recent = self.post("Is the export broken for everyone?", platform="x", raw={"author_id": "1", "text": "x"})
        local_ref = old.local_ref
        self.assertTrue(local_ref)
        self.age(old, 31)
        self.assertEqual(self.Mention._gc_raw_payloads(), 1)
        self.assertEqual(old.sudo().raw_payload, {"id": status["id"], "visibility": "direct"})
        self.assertTrue(old.raw_payload_trimmed)
        self.assertEqual(old.local_ref, local_ref)  # the conversation keys stay
        self.assertEqual(recent.sudo().raw_payload, {"author_id": "1", "text": "x"})
        self.assertFalse(recent.raw_payload_trimmed)
        self.assertEqual(self.Mention._gc_raw_payloads(), 0)  # done once
        # the agent answers the old direct message: in private, as before
        form = self.composer(ticket)
        self.assertTrue(form.private_only)
        form.body = "We sent you the steps"
        wizard = form.save()
        with self.replaying() as mock:
            mock.add("POST", "https://mastodon.social/api/v1/statuses", json=status)
            wizard.action_send()
            [call] = self.posts(mock)
        self.assertEqual(parse_qs(call.request.body)["in_reply_to_id"], [status["id"]])
        self.assertEqual(parse_qs(call.request.body)["visibility"], ["direct"])

    def test_zero_days_keeps_every_payload(self):
        mention = self.post("Where is my parcel?", raw={"author_id": "1", "text": "x"})
        self.age(mention, 400)
        self.params.set_param("social_crm.raw_payload_days", "0")
        self.assertEqual(self.Mention._gc_raw_payloads(), 0)
        self.assertEqual(mention.sudo().raw_payload, {"author_id": "1", "text": "x"})
        self.params.set_param("social_crm.raw_payload_days", "not a number")  # the default: 90 days
        self.assertEqual(self.Mention._gc_raw_payloads(), 1)
        self.assertEqual(mention.sudo().raw_payload, {"author_id": "1"})

    def test_in_batches_and_a_payload_with_nothing_for_replies_is_dropped(self):
        self.params.set_param("social_crm.raw_payload_batch_size", "1")
        mentions = self.post("First question?", platform="rss", raw={"title": "t"}) | self.post(
            "Second question?", platform="rss", raw={"title": "u"}, handle="bob"
        )
        self.age(mentions, 100)
        self.assertEqual(self.Mention._gc_raw_payloads(), 2)
        self.assertFalse(any(mention.raw_payload for mention in mentions.sudo()))
        self.assertEqual(mentions.mapped("raw_payload_trimmed"), [True, True])

    def test_without_its_payload_a_reply_says_why_before_anything_is_sent(self):
        _mention, ticket = self.ticket_of("The app is broken, terrible", platform="mastodon", raw={})
        form = self.composer(ticket)
        form.body = "Sorry about that"
        wizard = form.save()
        with self.replaying() as mock, self.assertRaisesRegex(UserError, "stored without what Mastodon needs"):
            wizard.action_send()
        self.assertFalse(self.posts(mock))


@tagged("post_install", "-at_install")
class TestEscalationBatches(EngageCase):
    def test_escalated_a_batch_at_a_time_with_progress(self):
        self.env["ir.config_parameter"].sudo().set_param("social_crm.escalation_batch_size", "1")
        tickets = self.env["helpdesk.ticket"]
        for index in range(3):
            tickets |= self.ticket_of(f"The app is not working ({index})", handle=f"late{index}")[1]
        progress = []
        Cron = type(self.env["ir.cron"])
        with (
            patch.object(Cron, "_notify_progress", lambda self, **kw: progress.append(kw), create=True),
            freeze_time(fields.Datetime.now() + timedelta(days=2)),
        ):
            escalated = self.env["helpdesk.ticket"]._cron_escalate_social_tickets()
        self.assertEqual(escalated & tickets, tickets)
        self.assertEqual(tickets.mapped("social_escalation_level"), [1, 1, 1])
        count = len(escalated)
        # one progress per batch of one ticket
        self.assertEqual(
            [(p["done"], p["remaining"]) for p in progress], [(done, count - done) for done in range(1, count + 1)]
        )


@tagged("post_install", "-at_install")
class TestPullCronAndBackoff(EngageCase):
    def test_the_pull_cron_is_the_accounts_and_the_migration_moves_it(self):
        cron = self.env.ref("social_crm.ir_cron_pull_mentions")
        self.assertEqual(cron.model_id.model, "social.crm.account")
        # as 18.0.1.1.0 left it (noupdate: an upgrade does not move it)
        cron.model_id = self.env["ir.model"]._get("social.crm.stream")
        path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations", "18.0.1.2.0", "post-migration.py")
        spec = importlib.util.spec_from_file_location("social_crm_post_migration_18_0_1_2_0_cron", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration._pull_cron_on_the_account(self.env.cr)
        self.assertEqual(cron.model_id.model, "social.crm.account")
        self.assertEqual(cron.code.strip(), "model._cron_pull_mentions()")

    def test_the_pull_batch_size_is_a_system_parameter(self):
        self.env["ir.config_parameter"].sudo().set_param("social_crm.pull_batch_size", "1")
        accounts = self.streams["rss"].account_id | self.streams["x"].account_id
        pulled = []
        with patch.object(type(self.Account), "_pull", lambda self, auto_commit=True: pulled.append(self) or 0):
            self.Account._cron_pull_mentions()
        self.assertEqual(len(pulled), 1)
        self.assertEqual(len(pulled[0]), 1)
        self.assertIn(pulled[0], accounts | self.Account.search([]))

    def test_the_back_off_cap_is_a_system_parameter(self):
        account = self.streams["rss"].account_id
        account.write({"pull_interval": 15, "error_count": 10})  # 15 min * 2**10: a week without a cap
        with freeze_time("2026-01-01 12:00:00"):
            account._record_failure(TransientError("down"), state="retrying")
            self.assertEqual(account.next_pull_at, fields.Datetime.now() + timedelta(days=1))
            self.env["ir.config_parameter"].sudo().set_param("social_crm.backoff_max_minutes", "60")
            account._record_failure(TransientError("down"), state="retrying")
            self.assertEqual(account.next_pull_at, fields.Datetime.now() + timedelta(hours=1))
            # never shorter than one pull interval
            account.pull_interval = 120
            account._record_failure(TransientError("down"), state="retrying")
            self.assertEqual(account.next_pull_at, fields.Datetime.now() + timedelta(hours=2))
