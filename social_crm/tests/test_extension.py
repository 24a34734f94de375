"""What other addons extend (issue 16 part 5): a platform added the way an
addon adds one, and social tickets numbered by an addon's
``_prepare_ticket_number``."""

import contextlib
import datetime
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.helpdesk_mgmt.models.helpdesk_ticket import HelpdeskTicket as HelpdeskMgmtTicket
from odoo.addons.social_crm.connectors import Author, BaseConnector, Mention

from .test_engage import EngageCase


class EchoConnector(BaseConnector):
    """The connector of a platform that another addon would bring."""

    platform = "echo"
    label = "Echo"
    modes = ("search",)
    needs_terms = True
    calls = []

    def request_page(self, query, since, page_token):
        type(self).calls.append(query.keywords)
        author = Author(handle="echoer", name="Echo Er", external_id="echo-user-1")
        mention = Mention(
            platform="echo",
            external_id="echo-1",
            text="The acme app is broken and support never answers",
            url="https://echo.example/1",
            posted_at=datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=3),
            author=author,
        )
        return [mention], None


@tagged("post_install", "-at_install")
class TestPlatformExtension(EngageCase):
    @contextlib.contextmanager
    def echo_platform(self):
        """What installing an addon with ``selection_add=[("echo", "Echo")]`` on the
        account's ``platform`` and an override of ``_get_connector_class`` does."""
        Account = type(self.env["social.crm.account"])
        field = Account._fields["platform"]
        original = Account._get_connector_class

        def _get_connector_class(self, platform):
            return EchoConnector if platform == "echo" else original(self, platform)

        # the selection value an install reflects (ir.model.fields.selection refuses it from code)
        self.env.cr.execute(
            """INSERT INTO ir_model_fields_selection (field_id, value, name, sequence)
               VALUES (%s, 'echo', '{"en_US": "Echo"}', 100)""",
            [self.env["ir.model.fields"]._get("social.crm.account", "platform").id],
        )
        self.env.registry.clear_cache()  # the translated selections
        with (
            patch.object(field, "selection", [*field.selection, ("echo", "Echo")]),
            patch.dict(field._selection, {"echo": "Echo"}),
            patch.object(Account, "_get_connector_class", _get_connector_class),
        ):
            yield
        self.env.registry.clear_cache()

    def test_an_addon_platform_is_pulled_stored_and_routed_through_the_hook(self):
        EchoConnector.calls = []
        with self.echo_platform():
            account = self.Account.create({"name": "Echo brand", "platform": "echo"})
            stream = self.Stream.create({"name": "Echo", "account_id": account.id, "keywords": "acme"})
            self.assertEqual(account._platform_label(), "Echo")
            self.assertIsInstance(account._get_connector(), EchoConnector)
            # the other models offer the platform (they read the account's selection)
            for model in ("social.crm.mention", "social.crm.author", "social.crm.routing.rule", "social.crm.stream"):
                selection = dict(self.env[model]._fields["platform"]._description_selection(self.env))
                self.assertEqual(selection.get("echo"), "Echo", model)
            self.assertIn(
                ("echo", "Echo"),
                self.env["social.crm.analysis.agreement"].fields_get(["platform"])["platform"]["selection"],
            )
            account._pull(auto_commit=False)  # what the pull cron does with a due account
            self.assertEqual(EchoConnector.calls, [("acme",)])
            mention = stream.mention_ids
            self.assertEqual((mention.platform, mention.author_id.platform), ("echo", "echo"))
            self.assertIn("(Echo)", mention.author_id.display_name)
            self.process()
            self.assertTrue(mention.ticket_id, mention.routing_note)  # routed like any other complaint

    def test_a_platform_without_a_connector_says_so(self):
        with self.assertRaisesRegex(Exception, "No connector is installed for the platform “nowhere”"):
            self.env["social.crm.account"]._get_connector_class("nowhere")


@tagged("post_install", "-at_install")
class TestTicketNumbering(EngageCase):
    def test_without_an_override_the_numbers_are_reserved_in_one_query(self):
        Ticket = self.env["helpdesk.ticket"]
        self.assertFalse(Ticket._social_custom_numbering())
        # a spy on helpdesk_mgmt's own method: still helpdesk's, so not an override
        with patch.object(
            HelpdeskMgmtTicket, "_prepare_ticket_number", autospec=True, side_effect=lambda self, values: "/"
        ) as prepare:
            self.assertFalse(Ticket._social_custom_numbering())
            mentions = self.post("My order never arrived, terrible", handle="n1") | self.post(
                "The app crashes all the time, awful", handle="n2"
            )
            self.process()
        tickets = mentions.ticket_id
        self.assertEqual(len(tickets), 2)
        prepare.assert_not_called()  # the batched path numbered them
        self.assertTrue(all(number and number != "/" for number in tickets.mapped("number")))

    def test_an_addon_override_numbers_social_tickets(self):
        Ticket = type(self.env["helpdesk.ticket"])
        seen = []

        def _prepare_ticket_number(self, values):
            seen.append(values.get("social_mention_id"))
            return f"SOC-{values.get('social_mention_id')}"

        with patch.object(Ticket, "_prepare_ticket_number", _prepare_ticket_number):
            self.assertTrue(self.env["helpdesk.ticket"]._social_custom_numbering())
            self.assertEqual(self.env["helpdesk.ticket"]._social_reserve_numbers(self.env.company, 3), [])
            mentions = self.post("My order never arrived, terrible", handle="o1") | self.post(
                "The app crashes all the time, awful", handle="o2"
            )
            self.process()
        self.assertEqual(sorted(seen), sorted(mentions.ids))
        self.assertEqual(
            sorted(mentions.ticket_id.mapped("number")), sorted(f"SOC-{mention.id}" for mention in mentions)
        )
