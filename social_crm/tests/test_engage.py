"""Engage end to end: the agent's buttons, the conversation as the ticket's
thread, SLA, triage, priority and the reply composer (issue 11; issue 10
points 4 and 15). Reply HTTP is replayed from recorded responses."""

import ast
import datetime
import importlib.util
import json
import os
from datetime import timedelta
from unittest.mock import patch
from urllib.parse import parse_qs

import lxml.html
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import html_sanitize, mute_logger

from odoo.addons.social_crm.connectors import Author, Mention, mastodon

from . import replay
from .common import SocialCrmCase

UTC = datetime.timezone.utc
X_POST = "https://api.twitter.com/2/tweets"
X_CREATED = "x/tweepy/test_client_create_and_delete_tweet__00.json"  # the recorded 201: id 1456012973835788293


def direct_status():
    """A recorded Mastodon direct message (visibility "direct")."""
    return next(
        n["status"]
        for n in json.loads(replay.body("mastodon/mastodon.py/test_entity_notification__00.json"))
        if (n.get("status") or {}).get("visibility") == "direct"
    )


class EngageCase(SocialCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        mastodon._limits.clear()
        cls.company = cls.env.company
        cls.company.write({"social_crm_languages": "de,fr,es", "social_crm_identity_policy": "none"})
        groups = "helpdesk_mgmt.group_helpdesk_user,social_crm.group_social_crm_user,sales_team.group_sale_salesman"
        cls.agent = new_test_user(cls.env, login="engage_agent", name="Ada Agent", groups=groups)
        cls.agent_de = new_test_user(cls.env, login="engage_agent_de", name="Dora Deutsch", groups=groups)
        cls.agent_de.social_crm_languages = "de, en"
        cls.agent.social_crm_languages = "en"
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Social team",
                "user_id": cls.agent.id,
                "user_ids": [(6, 0, (cls.agent | cls.agent_de).ids)],
            }
        )
        for xmlid in ("routing_rule_complaint", "routing_rule_question", "routing_rule_negative"):
            cls.env.ref(f"social_crm.{xmlid}").helpdesk_team_id = cls.team
        cls.in_progress = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        cls.streams = {"x": cls.x_stream}
        for platform, settings in {
            "mastodon": {"base_url": "https://mastodon.social", "access_token": "m-token"},
            "bluesky": {"username": "acme.bsky.social", "password": "app-pass"},
            "reddit": {"access_token": "r-token"},
            "facebook": {"access_token": "fb-token", "account_ref": "1234"},
            "instagram": {"access_token": "ig-token", "account_ref": "5678"},
            "rss": {},
        }.items():
            account = cls.Account.create({"name": f"{platform} brand", "platform": platform, **settings})
            mode = {"rss": "feed", "facebook": "comments", "instagram": "comments", "mastodon": "search"}
            cls.streams[platform] = cls.Stream.create(
                {
                    "name": platform,
                    "account_id": account.id,
                    "mode": mode.get(platform, "search"),
                    "keywords": "acme",
                    "target": "https://forum.example/feed" if platform == "rss" else "42",
                }
            )
        cls.counter = 0

    def setUp(self):
        super().setUp()
        mastodon._limits.clear()
        self.streams = dict(type(self).streams)  # a test may swap one

    def post(self, text, platform="x", handle="alice", ago=timedelta(minutes=5), **values):
        """Store one received post as the pull would, and return it."""
        type(self).counter += 1
        external_id = values.pop("external_id", f"engage-{self.counter}")
        author = values.pop("author", None) or Author(
            handle=handle,
            name=handle.replace("_", " ").title(),
            external_id=f"id-{handle}",
            followers=values.pop("followers", 300),
            avatar_url=f"https://cdn.example/{handle}.png",
        )
        mention = Mention(
            platform=platform,
            external_id=external_id,
            text=text,
            url=values.pop("url", f"https://social.example/{handle}/{self.counter}"),
            posted_at=datetime.datetime.now(UTC) - ago,
            author=author,
            **values,
        )
        return self.Mention._ingest(self.streams[platform], [mention])

    def process(self):
        self.Mention._cron_process_mentions()
        self.env.invalidate_all()

    def ticket_of(self, text, **values):
        mention = self.post(text, **values)
        self.process()
        self.assertTrue(mention.ticket_id, mention.routing_note)
        return mention, mention.ticket_id

    def composer(self, ticket, user=None):
        """The reply window, opened the way the agent opens it (the ticket's button)."""
        env = self.env(user=user or self.agent)
        return Form.from_action(env, ticket.with_env(env).action_social_reply())

    def posts(self, mock):
        return [call for call in mock.calls if call.request.method == "POST"]


@tagged("post_install", "-at_install")
class TestEngageReply(EngageCase):
    def test_reply_button_opens_the_composer(self):
        # regression: the button crashed on every ticket ('function' object is not iterable)
        mention, ticket = self.ticket_of("My order never arrived, this is unacceptable")
        action = ticket.with_user(self.agent).action_social_reply()
        self.assertEqual(action["name"], "Reply on X (Twitter)")
        form = self.composer(ticket)
        self.assertEqual(form.mention_id, mention)
        self.assertTrue(form.can_post)
        self.assertEqual((form.body_limit, form.body_counting), (280, "x"))
        self.assertTrue(form.can_reply_privately)  # X direct messages
        self.assertFalse(form.private_only)

    def test_agent_posts_and_the_reply_is_recorded_once(self):
        mention, ticket = self.ticket_of("My account is broken, help!", external_id="1293593516040269825")
        self.assertEqual(ticket.stage_id.name, "New")
        form = self.composer(ticket)
        form.body = "Sorry about that, we are on it."
        self.assertEqual(form.body_length, 31)
        wizard = form.save()
        with self.replaying() as mock:
            self.add(mock, "POST", X_POST, X_CREATED)
            wizard.action_send()
            self.assertEqual(len(self.posts(mock)), 1)
            self.assertEqual(
                json.loads(mock.calls[0].request.body)["reply"], {"in_reply_to_tweet_id": "1293593516040269825"}
            )
        outgoing = self.Mention.search([("ticket_id", "=", ticket.id), ("direction", "=", "out")])
        self.assertEqual(outgoing.external_id, "1456012973835788293")
        self.assertEqual(outgoing.parent_ref, mention.external_id)
        [message] = ticket.message_ids.filtered(lambda m: "Replied on X" in (m.body or ""))
        self.assertEqual(message.author_id, self.agent.partner_id)
        self.assertIn("Sorry about that, we are on it.", message.body)
        self.assertEqual(ticket.social_sla_status, "answered")
        self.assertEqual(ticket.stage_id, self.in_progress)  # answering moves it on

    def test_answered_stage_is_the_team_s_choice(self):
        awaiting = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_awaiting")
        self.team.social_answered_stage_id = awaiting
        _mention, ticket = self.ticket_of("Refund please, this is broken", handle="bob")
        ticket.with_user(self.agent)._social_mark_answered()
        self.assertEqual(ticket.stage_id, awaiting)
        # an answer does not pull a ticket back from where the agent put it
        ticket.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        ticket._social_mark_answered()
        self.assertEqual(ticket.stage_id.name, "Done")

    def test_nothing_is_posted_without_write_access_on_the_ticket(self):
        _mention, ticket = self.ticket_of("The app is broken, terrible support")
        social_only = new_test_user(self.env, login="engage_social_only", groups="social_crm.group_social_crm_user")
        own_only = new_test_user(
            self.env, login="engage_own_only", groups="helpdesk_mgmt.group_helpdesk_user_own,base.group_user"
        )
        self.team.user_ids |= own_only
        ticket.user_id = self.agent  # another agent's ticket
        for user in (social_only, own_only):
            with self.replaying() as mock:
                self.add(mock, "POST", X_POST, X_CREATED)
                # what a crafted RPC call sends: the ticket and the mention
                wizard = (
                    self.env["social.crm.reply"]
                    .with_user(user)
                    .create({"ticket_id": ticket.id, "mention_id": ticket.social_mention_id.id, "body": "Hi"})
                )
                with self.assertRaises(AccessError):
                    wizard.action_send()
                self.assertFalse(self.posts(mock), user.login)
        self.assertFalse(ticket.social_first_response_at)

    def test_the_post_answered_must_belong_to_the_ticket_and_its_company(self):
        _first, ticket = self.ticket_of("Broken again, worst app", handle="carol")
        other, _other_ticket = self.ticket_of("My invoice is wrong, unacceptable", handle="dave")
        company_b = self.env["res.company"].create({"name": "Engage B"})
        account_b = self.Account.create(
            {"name": "X B", "platform": "x", "access_token": "t", "company_id": company_b.id}
        )
        foreign = self.Mention.create(
            {"platform": "x", "external_id": "engage-b", "account_id": account_b.id, "text": "hello"}
        )
        # the ORM refuses to link a post of another company to the ticket ...
        with self.assertRaisesRegex(UserError, "Incompatible companies"), self.env.cr.savepoint():
            foreign.sudo().write({"ticket_id": ticket.id})
        # ... and should such a link exist anyway (data written by SQL), the composer still refuses it
        self.env.cr.execute("UPDATE social_crm_mention SET ticket_id = %s WHERE id = %s", (ticket.id, foreign.id))
        foreign.invalidate_recordset(["ticket_id"])
        self.agent.company_ids |= company_b  # he may read both: only the check stops him
        for mention, error in ((other, "not part of the ticket"), (foreign, "another company")):
            with self.replaying() as mock:
                self.add(mock, "POST", X_POST, X_CREATED)
                wizard = (
                    self.env["social.crm.reply"]
                    .with_user(self.agent)
                    .with_context(allowed_company_ids=[self.company.id, company_b.id])
                    .create({"ticket_id": ticket.id, "mention_id": mention.id, "body": "Hi"})
                )
                with self.assertRaisesRegex(UserError, error):
                    wizard.action_send()
                self.assertFalse(self.posts(mock))

    def test_limits_are_enforced_before_sending_in_plain_words(self):
        _mention, ticket = self.ticket_of("Terrible service, the sync stopped", handle="erin")
        form = self.composer(ticket)
        form.body = "日" * 141  # 141 characters, X counts 282
        self.assertEqual(form.body_length, 282)
        wizard = form.save()
        with self.replaying() as mock:
            self.add(mock, "POST", X_POST, X_CREATED)
            with self.assertRaisesRegex(
                UserError, "282 characters long as X \\(Twitter\\) counts them.*Shorten it by 2"
            ):
                wizard.action_send()
            self.assertFalse(self.posts(mock))

    def test_bluesky_and_mastodon_limits(self):
        post = json.loads(replay.body("bluesky/bskyr/f_search__00.json"))["posts"][0]
        _bsky, bsky_ticket = self.ticket_of(
            "Your app keeps crashing, awful", platform="bluesky", external_id=post["uri"], raw=post
        )
        _masto, masto_ticket = self.ticket_of(
            "Your app keeps crashing, awful", platform="mastodon", handle="jane", raw={"id": "1"}
        )
        thumbs = "\U0001f44d\U0001f3fd"
        with self.replaying() as mock:
            # No recording of GET /api/v2/instance exists: the documented Instance entity
            # (https://docs.joinmastodon.org/entities/Instance/#statuses).
            mock.add(
                "GET",
                "https://mastodon.social/api/v2/instance",
                json={"configuration": {"statuses": {"max_characters": 500}}},
            )
            form = self.composer(bsky_ticket)
            self.assertEqual((form.body_limit, form.body_counting), (300, "graphemes"))
            form.body = thumbs * 301
            self.assertEqual(form.body_length, 301)
            with self.assertRaisesRegex(UserError, "allows 300"):
                form.save().action_send()
            form = self.composer(masto_ticket)
            self.assertEqual((form.body_limit, form.body_prefix), (500, "@jane "))
            form.body = "a" * 495  # with "@jane " 501
            with self.assertRaisesRegex(UserError, "501 characters.*allows 500"):
                form.save().action_send()
            self.assertFalse(self.posts(mock))

    def test_no_token_is_said_in_plain_words(self):
        _mention, ticket = self.ticket_of("The app is broken, terrible", platform="mastodon", raw={"id": "7"})
        self.streams["mastodon"].account_id.sudo().access_token = False
        form = self.composer(ticket)
        self.assertFalse(form.can_post)
        self.assertEqual(
            form.help_text,
            "This account has no token allowed to post on Mastodon. "
            "Ask an administrator to connect it in Social CRM > Accounts.",
        )
        bsky = self.post("Awful app, nothing works", platform="bluesky", raw={"cid": "c"})
        self.process()
        self.streams["bluesky"].account_id.sudo().password = False
        self.assertIn("no app password allowed to post on Bluesky", self.composer(bsky.ticket_id).help_text)

    def test_a_mastodon_direct_message_is_answered_in_private(self):
        status = direct_status()
        _mention, ticket = self.ticket_of(
            "Hello, my account is broken and I am locked out, please help",
            platform="mastodon",
            handle=status["account"]["acct"],
            external_id="direct-1",
            raw=status,
        )
        form = self.composer(ticket)
        self.assertTrue(form.private_only)
        self.assertEqual(form.reply_mode, "private")
        form.body = "We sent you the steps"
        wizard = form.save()
        with self.replaying() as mock:
            mock.add("POST", "https://mastodon.social/api/v1/statuses", json=status)
            wizard.action_send()
            [call] = self.posts(mock)
        self.assertEqual(parse_qs(call.request.body)["visibility"], ["direct"])
        self.assertTrue(ticket.message_ids.filtered(lambda m: "Private message sent on Mastodon" in (m.body or "")))

    def test_x_private_message(self):
        _mention, ticket = self.ticket_of(
            "Where is my refund? Terrible service", raw={"author_id": "750362064426721281"}
        )
        form = self.composer(ticket)
        self.assertTrue(form.can_reply_privately)
        form.reply_mode = "private"
        self.assertEqual((form.body_limit, form.body_counting), (10_000, "characters"))
        form.body = "Please send us your order number"
        wizard = form.save()
        with self.replaying() as mock:
            self.add(
                mock,
                "POST",
                "https://api.twitter.com/2/dm_conversations/with/750362064426721281/messages",
                "x/tweepy/test_manage_and_lookup_direct_messages__00.json",
            )
            wizard.action_send()
        outgoing = ticket.social_mention_ids.filtered(lambda m: m.direction == "out")
        self.assertEqual(outgoing.external_id, "1585800613253812228")
        self.assertTrue(ticket.social_first_response_at)

    def test_after_the_post_nothing_raises(self):
        # the posted id is already stored (say the pull read it meanwhile): storing our
        # reply fails, but the post is out, so the reply is still logged and answered
        _mention, ticket = self.ticket_of("Broken checkout, I want a refund", handle="fred")
        self.Mention.create(
            {"platform": "x", "external_id": "1456012973835788293", "account_id": self.x_account.id, "text": "dup"}
        )
        form = self.composer(ticket)
        form.body = "Fixed now, sorry!"
        wizard = form.save()
        with (
            self.replaying() as mock,
            self.assertLogs("odoo.addons.social_crm.wizards.social_crm_reply", "ERROR"),
            mute_logger("odoo.sql_db"),
        ):
            self.add(mock, "POST", X_POST, X_CREATED)
            wizard.action_send()
        self.assertTrue(ticket.message_ids.filtered(lambda m: "Fixed now, sorry!" in (m.body or "")))
        self.assertEqual(ticket.social_sla_status, "answered")

    def test_platform_refusal_is_explained(self):
        _mention, ticket = self.ticket_of("Broken again!! worst app", handle="gina")
        form = self.composer(ticket)
        form.body = "Hello"
        with self.replaying() as mock:
            self.add(mock, "POST", X_POST, "x/rtweet/friends8__00.json")  # a recorded 401
            with self.assertRaisesRegex(UserError, "refused the reply: the account's credentials were not accepted"):
                form.save().action_send()
        self.assertFalse(ticket.social_first_response_at)

    def test_saved_reply_names_the_author(self):
        _mention, ticket = self.ticket_of("Is the export broken? It does not work", handle="hana_kim")
        form = self.composer(ticket)
        form.template_id = self.env.ref("social_crm.saved_reply_on_it")
        self.assertTrue(form.body.startswith("Hi Hana Kim, sorry for the trouble."), form.body)
        self.assertNotIn("<p>", form.body)
        self.assertEqual(form.body_length, len(form.body))

    def test_platform_without_write_api_logs_the_answer(self):
        self.hn_account.active = True
        mention = self.Mention._ingest(
            self.hn_stream,
            [Mention(platform="hackernews", external_id="hn-1", text="Your product is broken, terrible support")],
        )
        self.process()
        form = self.composer(mention.ticket_id)
        self.assertIn("no API to post replies", form.help_text)
        form.body = "Answered in the thread"
        wizard = form.save()
        self.assertEqual(wizard.action_open_platform()["type"], "ir.actions.act_url")
        wizard.action_log_manual_reply()
        [message] = mention.ticket_id.message_ids.filtered(lambda m: "logged by hand" in (m.body or ""))
        self.assertEqual(message.author_id, self.agent.partner_id)


@tagged("post_install", "-at_install")
class TestEngageConversation(EngageCase):
    def messages(self, ticket):
        """The ticket's conversation, oldest first."""
        return ticket.message_ids.filtered(lambda m: "o_social_crm" in (m.body or "")).sorted("id")

    def test_conversation_is_the_ticket_thread(self):
        partner = self.env["res.partner"].create({"name": "Alice Known"})
        first = self.post("My order never arrived, this is unacceptable", thread_id="conv-1", ago=timedelta(hours=2))
        first.author_id.partner_id = partner
        first.partner_id = partner
        self.process()
        ticket = first.ticket_id
        second = self.post("Still waiting for an answer!", thread_id="conv-1", ago=timedelta(hours=1))
        other = self.post("Same problem here, terrible", handle="zoe", thread_id="conv-1", ago=timedelta(minutes=30))
        self.process()
        self.assertEqual((second | other).ticket_id, ticket)
        [m1, m2, m3] = self.messages(ticket)
        self.assertEqual((m1.author_id, m1.date), (partner, first.posted_at))
        self.assertIn("My order never arrived", m1.body)
        self.assertIn('src="https://cdn.example/alice.png"', m1.body)  # the author's avatar
        self.assertIn(f'href="{first.url}"', m1.body)  # a link to the post
        self.assertIn("X (Twitter)", m1.body)  # the platform
        self.assertIn("Still waiting", m2.body)
        self.assertFalse(m3.author_id)  # an author without a contact signs with their name
        self.assertEqual(m3.email_from, "Zoe (@zoe)")
        self.assertNotIn("data-o-mail-quote", m1.body + m2.body + m3.body)

    def test_hostile_posts_stay_inert_in_the_conversation(self):
        # the conversation's bodies are written without Odoo's sanitiser: whatever
        # a post holds, what the sanitiser would remove is never in them
        first, ticket = self.ticket_of("My order never arrived, unacceptable", thread_id="conv-h", handle="eve")
        words = '<script>alert(1)</script><img src=x onerror="alert(2)"> "><a href="javascript:alert(3)">x</a>'
        self.post(words, thread_id="conv-h", handle="eve", title="<svg onload=alert(4)>")
        self.process()
        # and a post stored by other means (an older version, a script) with hostile addresses
        stored = self.Mention.create(
            {
                "platform": "x",
                "external_id": "engage-hostile",
                "account_id": self.streams["x"].account_id.id,
                "text": words,
                "url": "javascript:alert(5)",
                "author_handle": '"><script>alert(6)</script>',
                "direction": "in",
            }
        )
        stored.author_id = first.author_id
        first.author_id.sudo().write({"avatar_url": "javascript:alert(7)"})
        self.env["helpdesk.ticket"]._social_log_conversation([(ticket, stored)])
        self.env.invalidate_all()
        bodies = self.messages(ticket)[1:].mapped("body")
        self.assertEqual(len(bodies), 2)
        for body in bodies:
            self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", body)  # the words, as words
            tree = lxml.html.fragment_fromstring(body, create_parent="div")
            self.assertEqual({e.tag for e in tree.iter()} - {"div", "p", "b", "a", "img", "br"}, set())
            for element in tree.iter():
                self.assertFalse([name for name in element.attrib if name.startswith("on")], body)
                for name in ("href", "src"):
                    self.assertRegex(element.get(name, "https://"), r"^https?://", body)
            # the sanitiser would remove nothing (compared as parsed trees)
            sanitized = lxml.html.fragment_fromstring(html_sanitize(body, sanitize_style=True), create_parent="div")
            self.assertEqual(lxml.html.tostring(sanitized), lxml.html.tostring(tree))

    def test_the_answer_to_our_reply_joins_the_ticket_on_every_platform(self):
        # each platform's thread and parent keys, as its connector gives them: the
        # customer's answer points at our reply (its parent), whatever the rules say
        for platform in ("x", "mastodon", "bluesky", "reddit", "facebook", "instagram"):
            first, ticket = self.ticket_of(
                "Your app is broken, I want a refund", platform=platform, handle=f"cust_{platform}"
            )
            ours = self.Mention.create(
                {
                    "platform": platform,
                    "external_id": f"our-reply-{platform}",
                    "account_id": self.streams[platform].account_id.id,
                    "text": "Sorry, fixed now",
                    "direction": "out",
                    "state": "routed",
                    "ticket_id": ticket.id,
                    "parent_ref": first.external_id,
                    "thread_ref": first.thread_ref or first.external_id,
                }
            )
            answer = self.post(
                "Thanks, that worked!",  # praise: the rules alone keep it out of tickets
                platform=platform,
                handle=f"cust_{platform}",
                parent_id=ours.external_id,
                kind="reply",
            )
            self.process()
            self.assertEqual(answer.ticket_id, ticket, platform)
            self.assertEqual(answer.state, "routed")
            self.assertIn("Thanks, that worked!", self.messages(ticket)[-1].body)

    def test_a_conversation_never_crosses_companies(self):
        first, ticket = self.ticket_of("My order never arrived, unacceptable", thread_id="conv-mc", handle="mc")
        company_b = self.env["res.company"].create({"name": "Engage B"})
        account_b = self.Account.create(
            {"name": "X B", "platform": "x", "access_token": "t", "company_id": company_b.id}
        )
        self.streams["x"] = self.Stream.create(
            {"name": "B", "account_id": account_b.id, "mode": "search", "keywords": "acme"}
        )
        answer = self.post("Terrible, same here!", handle="mc", thread_id="conv-mc", parent_id=first.external_id)
        self.process()
        self.assertEqual(answer.company_id, company_b)
        self.assertNotEqual(answer.ticket_id, ticket)
        self.assertEqual(ticket.social_mention_ids, first)

    def test_a_follow_up_of_the_same_author_joins_within_the_window(self):
        self.company.social_crm_followup_hours = 24
        first, ticket = self.ticket_of(
            "Invoice export is broken since the update", platform="rss", handle="rss_ann", title="Invoice export"
        )
        follow_up = self.post(
            "Any news? Still not working", platform="rss", handle="rss_ann", title="Re: Invoice export"
        )
        stranger = self.post(
            "Re: the export is broken for me too, terrible",
            platform="rss",
            handle="rss_bob",
            title="Re: Invoice export",
        )
        self.process()
        self.assertEqual(follow_up.ticket_id, ticket)  # regression: it opened a second ticket
        self.assertNotEqual(stranger.ticket_id, ticket)
        # outside the window, or with the window off, a follow-up is a new conversation
        late = self.post(
            "Re: still broken!!",
            platform="rss",
            handle="rss_ann",
            title="Re: Invoice export",
            ago=timedelta(minutes=5) - timedelta(days=2),  # posted two days after the first
        )
        with freeze_time(fields.Datetime.now() + timedelta(days=2)):
            self.process()
        self.assertNotEqual(late.ticket_id, ticket)
        self.company.social_crm_followup_hours = 0
        off = self.post("Any news?", platform="rss", handle="rss_ann", title="Re: Invoice export")
        self.process()
        self.assertNotEqual(off.ticket_id, ticket)
        self.assertEqual(first.ticket_id, ticket)


@tagged("post_install", "-at_install")
class TestEngageSla(EngageCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({f"social_crm_sla_hours_{level}": 8 for level in ("urgent", "high", "medium", "low")})

    def test_the_clock_starts_at_the_post_and_a_breach_stays_after_escalation(self):
        mention, ticket = self.ticket_of("How do I export my invoices to CSV?", ago=timedelta(hours=9, minutes=10))
        start_priority = int(ticket.priority)
        self.assertEqual(ticket.social_response_deadline, mention.posted_at + timedelta(hours=8))
        self.assertEqual(ticket.social_sla_status, "overdue")  # posted 9 hours ago: late already
        self.assertRegex(ticket.social_sla_time_left, r"^1 h (9|10) min late$")
        deadline = ticket.social_response_deadline
        self.env["helpdesk.ticket"]._cron_escalate_social_tickets()
        self.assertEqual(int(ticket.priority), min(3, start_priority + 1))
        # regression: the escalation gave a new deadline and the badge said "On time" again
        self.assertEqual(ticket.social_response_deadline, deadline)
        self.assertEqual(ticket.social_sla_status, "overdue")
        self.assertTrue(ticket.social_sla_breached)
        Ticket = self.env["helpdesk.ticket"]
        self.assertIn(ticket, Ticket.search([("social_sla_status", "in", ("overdue", "breached"))]))
        ticket._social_mark_answered()
        self.assertEqual(ticket.social_sla_status, "breached")  # answered, late: still visible
        self.assertIn(ticket, Ticket.search([("social_sla_status", "=", "breached")]))
        self.assertNotIn(ticket, Ticket.search([("social_sla_status", "=", "answered")]))
        groups = dict(Ticket._read_group([("id", "=", ticket.id)], ["social_sla_breached"], ["__count"]))
        self.assertEqual(groups, {True: 1})  # the SLA report counts it
        # not escalated twice in the same period
        self.assertFalse(Ticket._cron_escalate_social_tickets().filtered(lambda t: t == ticket))

    def test_escalating_a_very_high_ticket_says_it_was_already_at_the_top(self):
        # regression: the note read "priority raised from Very High to Very High"
        _mention, ticket = self.ticket_of("Your app is down for the whole company!", ago=timedelta(hours=3))
        ticket.priority = "3"
        ticket.social_escalate_at = fields.Datetime.now() - timedelta(minutes=1)
        self.env["helpdesk.ticket"]._cron_escalate_social_tickets()
        notes = ticket.message_ids.mapped("body")
        self.assertTrue([n for n in notes if "already at Very High priority" in n], notes)
        self.assertFalse([n for n in notes if "raised from" in n], notes)

    def test_time_left_and_its_colour(self):
        _mention, ticket = self.ticket_of("How do I export my invoices to CSV?", ago=timedelta(minutes=30))
        self.assertEqual((ticket.social_sla_status, ticket.social_sla_color), ("on_time", "success"))
        self.assertRegex(ticket.social_sla_time_left, r"^answer in 7 h (29|30) min$")
        with freeze_time(fields.Datetime.now() + timedelta(hours=6, minutes=30)):
            ticket.invalidate_recordset()
            self.assertEqual((ticket.social_sla_status, ticket.social_sla_color), ("on_time", "warning"))
        with freeze_time(fields.Datetime.now() + timedelta(hours=8)):
            ticket.invalidate_recordset()
            self.assertEqual((ticket.social_sla_status, ticket.social_sla_color), ("overdue", "danger"))
            Ticket = self.env["helpdesk.ticket"]
            self.assertIn(ticket, Ticket.search([("social_sla_status", "=", "overdue")]))
            self.assertNotIn(ticket, Ticket.search([("social_sla_status", "=", "on_time")]))

    def test_optional_resolution_target(self):
        self.company.write(
            {f"social_crm_resolution_hours_{level}": 24 for level in ("urgent", "high", "medium", "low")}
        )
        mention, ticket = self.ticket_of("How do I export my invoices to CSV?", handle="ivan")
        self.assertEqual(ticket.social_resolution_deadline, mention.posted_at + timedelta(hours=24))
        ticket._social_mark_answered()
        self.assertEqual(ticket.social_sla_status, "on_time")  # now the resolution clock
        self.assertTrue(ticket.social_sla_time_left.startswith("solve in 23 h"))
        with freeze_time(fields.Datetime.now() + timedelta(days=2)):
            ticket.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        self.assertTrue(ticket.social_sla_breached)
        self.assertEqual(ticket.social_sla_status, "breached")
        # without a target nothing is due once answered
        self.company.write({f"social_crm_resolution_hours_{level}": 0 for level in ("urgent", "high", "medium", "low")})
        _other, other = self.ticket_of("How do I change my password?", handle="jo")
        self.assertFalse(other.social_resolution_deadline)
        other._social_mark_answered()
        self.assertEqual(other.social_sla_status, "answered")

    def test_migration_fills_the_clock_and_the_known_breaches(self):
        mention, ticket = self.ticket_of("How do I export my invoices to CSV?", ago=timedelta(hours=3))
        _other_mention, escalated = self.ticket_of("How do I change my password?", handle="old")
        # as 18.0.1.1.0 left them: no clock start, no next escalation, no breach flag
        self.env.flush_all()
        self.env.cr.execute(
            """UPDATE helpdesk_ticket SET social_sla_start = NULL, social_escalate_at = NULL,
                      social_sla_breached = FALSE, social_escalation_level = CASE WHEN id = %s THEN 1 ELSE 0 END
                WHERE id IN %s""",
            [escalated.id, (ticket | escalated)._ids],
        )
        path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations", "18.0.1.2.0", "post-migration.py")
        spec = importlib.util.spec_from_file_location("social_crm_post_migration_18_0_1_2_0", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "18.0.1.1.0")
        self.env.invalidate_all()
        self.assertEqual(ticket.social_sla_start, mention.posted_at)
        self.assertEqual(ticket.social_escalate_at, ticket.social_response_deadline)
        self.assertEqual((ticket.social_sla_breached, escalated.social_sla_breached), (False, True))


@tagged("post_install", "-at_install")
class TestEngageTriage(EngageCase):
    def test_round_robin_by_language_in_the_social_team(self):
        self.team.write({"social_auto_assign": True, "social_assign_by_language": True})
        third = new_test_user(self.env, login="engage_agent_3", groups="helpdesk_mgmt.group_helpdesk_user")
        third.social_crm_languages = "en,fr"
        self.team.user_ids |= third
        texts = [
            ("en", "The app is broken, terrible service"),
            ("en", "Why is the export not working? Awful"),
            ("de", "Die App funktioniert nicht, ich will mein Geld zurück"),
            ("en", "Worst update ever, the sync is broken"),
            ("fr", "L'application ne marche pas, je veux un remboursement"),
        ]
        mentions = self.Mention
        for index, (_language, text) in enumerate(texts):
            mentions |= self.post(text, handle=f"rr{index}")
        self.process()
        self.assertEqual(mentions.mapped("language"), [language for language, _text in texts])
        tickets = mentions.ticket_id
        self.assertEqual(len(tickets), 5)
        assignees = [m.ticket_id.user_id for m in mentions]
        # English goes in turn to the three English speakers, German to the only German
        # speaker, French to the only French speaker
        self.assertEqual(assignees[2], self.agent_de)
        self.assertEqual(assignees[4], third)
        english = [assignees[0], assignees[1], assignees[3]]
        self.assertEqual(len(set(english)), 3, english)
        # without the option, everyone in turn; without auto-assignment, nobody
        self.team.social_assign_by_language = False
        self.team.social_auto_assign = False
        self.assertFalse(self.ticket_of("Broken checkout, unacceptable", handle="rr9")[1].user_id)

    def test_take_a_ticket_in_one_click(self):
        _mention, ticket = self.ticket_of("Broken checkout, unacceptable", handle="take")
        ticket.user_id = self.agent
        ticket.with_user(self.agent_de).assign_to_me()  # the form's "Take it" button
        self.assertEqual(ticket.user_id, self.agent_de)

    def bulk(self, xmlid, mentions, user=None):
        """A bulk action of the mentions list (Actions menu), as the client runs it."""
        env = self.env(user=user or self.agent)
        action = env["ir.actions.act_window"]._for_xml_id(f"social_crm.{xmlid}")
        context = dict(ast.literal_eval(action["context"]), active_model="social.crm.mention", active_ids=mentions.ids)
        action["context"] = context
        return Form.from_action(env, action)

    def test_bulk_actions_on_mentions(self):
        praise = self.post("I love your product, amazing support!", handle="fan")
        noise = self.post("Nice weather in Lisbon today", handle="noise")
        question = self.post("How do I reset my password?", handle="asker")
        self.process()
        self.assertFalse(praise.ticket_id)  # no rule makes a ticket of praise
        # assign
        form = self.bulk("social_crm_mention_bulk_action_assign", praise | question)
        form.user_id = self.agent_de
        form.save().action_apply()
        self.assertEqual((praise | question).user_id, self.agent_de)
        # ignore
        self.bulk("social_crm_mention_bulk_action_ignore", noise).save().action_apply()
        self.assertEqual(noise.state, "ignored")
        # a ticket by hand, for the mention no rule routed; the one in a ticket is left alone
        form = self.bulk("social_crm_mention_bulk_action_ticket", praise | question)
        self.assertEqual((form.mention_count, form.skipped_count), (1, 1))
        form.helpdesk_team_id = self.team
        result = form.save().action_apply()
        ticket = praise.ticket_id
        self.assertTrue(ticket)
        self.assertEqual((result["res_model"], result["res_id"]), ("helpdesk.ticket", ticket.id))
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.user_id, self.agent_de)  # the mention's assignee
        self.assertIn("I love your product", ticket.message_ids[-1:].body)
        # a lead
        form = self.bulk("social_crm_mention_bulk_action_lead", praise)
        form.user_id = self.agent
        form.save().action_apply()
        self.assertEqual(praise.lead_id.user_id, self.agent)

    def test_bulk_ticket_needs_helpdesk_rights(self):
        praise = self.post("Great product, thanks!", handle="fan2")
        self.process()
        social_only = new_test_user(self.env, login="engage_bulk_social", groups="social_crm.group_social_crm_user")
        with self.assertRaises(AccessError):
            self.bulk("social_crm_mention_bulk_action_ticket", praise, user=social_only).save().action_apply()
        self.assertFalse(praise.ticket_id)

    def test_the_mention_form_buttons(self):
        praise = self.post("Brilliant release, thank you", handle="fan3")
        self.process()
        env = self.env(user=self.agent)
        arch = env["social.crm.mention"].get_view(view_type="form")["arch"]
        for button in ("Create ticket", "Create lead", "Assign"):
            self.assertIn(f'string="{button}"', arch)
        action = env["ir.actions.act_window"]._for_xml_id("social_crm.social_crm_mention_bulk_action_ticket")
        action["context"] = {"default_action": "ticket", "active_model": "social.crm.mention", "active_ids": praise.ids}
        Form.from_action(env, action).save().action_apply()
        self.assertTrue(praise.ticket_id)


@tagged("post_install", "-at_install")
class TestEngagePriority(EngageCase):
    def test_an_outage_is_very_high(self):
        _mention, ticket = self.ticket_of("Your platform is down, the whole company is down since 9am!")
        self.assertEqual(ticket.priority, "3", ticket.social_priority_explanation)
        self.assertIn("outage", ticket.social_priority_explanation)

    def test_a_later_post_can_raise_the_priority_never_lower_it(self):
        _first, ticket = self.ticket_of("Still broken, nobody answers. Unacceptable", thread_id="conv-9")
        self.assertLess(int(ticket.priority), 3)
        deadline = ticket.social_response_deadline
        self.post("URGENT: the sync is down for our whole company since this morning", thread_id="conv-9")
        self.process()
        self.assertEqual(ticket.priority, "3")
        self.assertIn("Raised by a later post", ticket.social_priority_explanation)
        self.assertIn("outage", ticket.social_priority_explanation)
        self.assertEqual(ticket.social_response_deadline, deadline)
        self.post("Thanks, works again", thread_id="conv-9")
        self.process()
        self.assertEqual(ticket.priority, "3")

    def test_an_unscored_language_ranks_like_the_company_s_scored_ones(self):
        for index in range(25):
            self.Mention.create(
                {
                    "platform": "x",
                    "external_id": f"scored-{index}",
                    "account_id": self.x_account.id,
                    "text": "scored complaint",
                    "direction": "in",
                    "state": "routed",
                    "intent": "complaint",
                    "sentiment_label": "negative",
                    "sentiment_score": -0.8,
                    "posted_at": fields.Datetime.now() - timedelta(days=1),
                }
            )
        # a language the server cannot score (German, its lexicon made unavailable): not scored
        with patch("odoo.addons.social_crm.text_analysis.lexicons.score_lexicon", return_value=None):
            german, ticket = self.ticket_of("Die App funktioniert nicht, ich will mein Geld zurück!", handle="dirk")
        self.assertEqual((german.language, german.sentiment_label, german.intent), ("de", "not_scored", "complaint"))
        # the company's scored complaints (these and the demo's) stand for the unknown sentiment
        average = self.env["helpdesk.ticket"]._social_expected_compounds(german)[(self.company.id, "complaint")]
        self.assertLess(average, -0.55)
        self.assertIn(f"counted as {average:+.2f} (average of scored complaints)", ticket.social_priority_explanation)
