"""The agent's journey in a browser: open a social ticket, reply on the platform
(the X API replayed from its recorded response), see the reply in the
conversation and the SLA met; the mention bulk action and the menus."""

import datetime
from datetime import timedelta

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.social_crm.connectors import Author, Mention

from . import replay
from .common import ReplayMixin

UTC = datetime.timezone.utc


@tagged("post_install", "-at_install")
class TestEngageTour(ReplayMixin, HttpCase):
    def _replay_passthru(self):
        # the browser's devtools and the test server are local: let them through
        return ("http://127.0.0.1", "http://localhost")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["social.crm.account"].search([]).write({"active": False})
        cls.agent = new_test_user(
            cls.env,
            login="engage_tour_agent",
            name="Tara Agent",
            groups="helpdesk_mgmt.group_helpdesk_user,social_crm.group_social_crm_user",
        )
        team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Tour social team", "user_ids": [(6, 0, cls.agent.ids)], "social_auto_assign": True}
        )
        cls.env.company.social_crm_helpdesk_team_id = team
        cls.env.company.social_crm_sla_hours_low = cls.env.company.social_crm_sla_hours_medium = 8
        account = cls.env["social.crm.account"].create({"name": "Tour X", "platform": "x", "access_token": "t"})
        cls.stream = cls.env["social.crm.stream"].create(
            {"name": "Tour", "account_id": account.id, "mode": "search", "keywords": "acme"}
        )

    def ingest(self, external_id, text, name):
        mention = Mention(
            platform="x",
            external_id=external_id,
            text=text,
            url=f"https://x.com/tour/status/{external_id}",
            posted_at=datetime.datetime.now(UTC) - timedelta(minutes=10),
            author=Author(handle=name.lower().replace(" ", "_"), name=name, external_id=f"id-{external_id}"),
        )
        return self.env["social.crm.mention"]._ingest(self.stream, [mention])

    def test_agent_replies_on_the_platform(self):
        mention = self.ingest("1293593516040269825", "My order never arrived, this is unacceptable!", "Tour Customer")
        self.env["social.crm.mention"]._process_new()
        ticket = mention.ticket_id
        self.assertEqual((ticket.user_id, ticket.social_sla_status), (self.agent, "on_time"))
        with self.replaying() as mock:
            replay.add(
                mock,
                "POST",
                "https://api.twitter.com/2/tweets",
                "x/tweepy/test_client_create_and_delete_tweet__00.json",
            )
            self.start_tour("/odoo", "social_crm_engage_reply", login="engage_tour_agent")
            self.assertEqual(len([c for c in mock.calls if c.request.url.startswith("https://api.twitter.com")]), 1)
        self.assertEqual(ticket.social_sla_status, "answered")
        self.assertEqual(ticket.stage_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress"))
        outgoing = ticket.social_mention_ids.filtered(lambda m: m.direction == "out")
        self.assertEqual(outgoing.external_id, "1456012973835788293")

    def test_agent_screens_and_menus(self):
        praise = self.ingest("tour-praise", "Unrouted praise: I love the new release, amazing work", "Tour Fan")
        self.env["social.crm.mention"]._process_new()
        self.assertFalse(praise.ticket_id)
        self.start_tour("/odoo", "social_crm_engage_menus", login="admin")
        self.assertTrue(praise.ticket_id)
