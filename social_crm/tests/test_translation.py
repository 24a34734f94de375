"""Messages from the pure packages in the user's language (issue 16 part 3):
connector errors by code, priority reasons stored as components."""

import ast
import importlib.util
import os
import pathlib
from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools.translate import code_translations

from odoo.addons.social_crm.connectors import ConfigurationError, ConnectorError
from odoo.addons.social_crm.models import social_crm_messages as messages

from .test_engage import EngageCase

# what a French translation of the module would say (the module ships the .pot only)
FRENCH = {
    "complaint": "réclamation",
    "%(intent)s (+%(points)s)": "%(intent)s (+%(points)s)",
    "negative sentiment %(compound)s (+%(points)s): %(drivers)s": "sentiment négatif %(compound)s (+%(points)s) : "
    "%(drivers)s",
    "negative sentiment %(compound)s (+%(points)s)": "sentiment négatif %(compound)s (+%(points)s)",
    "author influence %(influence)s/100 (+%(points)s)": "influence de l'auteur %(influence)s/100 (+%(points)s)",
    "No urgency signal": "Aucun signe d'urgence",
    "The %(platform)s stream needs its %(target)s.": "Le flux %(platform)s a besoin de son %(target)s.",
    "subreddit name": "nom du subreddit",
}


@tagged("post_install", "-at_install")
class TestTranslatedMessages(EngageCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")

    def french(self):
        return patch.dict(code_translations.python_translations, {("social_crm", "fr_FR"): FRENCH})

    def test_priority_reasons_are_components_rendered_in_the_readers_language(self):
        _mention, ticket = self.ticket_of("This is terrible, the app is broken and nobody answers", followers=5000)
        reasons = ticket.social_priority_reasons
        self.assertTrue(reasons)
        self.assertTrue(all(set(reason) == {"code", "params"} for reason in reasons))
        self.assertIn("intent", [reason["code"] for reason in reasons])
        english = ticket.social_priority_explanation
        self.assertIn("complaint (+15)", english)
        with self.french():
            french = ticket.with_context(lang="fr_FR").social_priority_explanation
        self.assertIn("réclamation (+15)", french)
        self.assertNotIn("complaint (+15)", french)
        self.assertEqual(french.count("\n"), english.count("\n"))  # the same reasons
        self.assertEqual(ticket.with_context(lang="en_US").social_priority_explanation, english)

    def test_no_signal_and_reasons_of_another_version(self):
        ticket = self.ticket_of("How do I export my invoices to CSV?")[1]
        ticket.social_priority_reasons = [{"code": "no_signal", "params": {}}]
        with self.french():
            self.assertEqual(ticket.with_context(lang="fr_FR").social_priority_explanation, "Aucun signe d'urgence")
        ticket.social_priority_reasons = [{"code": "text", "params": {"text": "complaint (+15)"}}, {"code": "new"}]
        self.assertEqual(ticket.social_priority_explanation, "complaint (+15)\nnew")

    def test_migration_keeps_the_english_text_as_a_component(self):
        ticket = self.ticket_of("How do I export my invoices to CSV?")[1]
        self.env.flush_all()
        self.env.cr.execute("ALTER TABLE helpdesk_ticket ADD COLUMN IF NOT EXISTS social_priority_explanation TEXT")
        self.env.cr.execute(
            """UPDATE helpdesk_ticket SET social_priority_reasons = NULL,
                      social_priority_explanation = 'question (+8)' WHERE id = %s""",
            [ticket.id],
        )
        path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations", "18.0.1.2.0", "post-migration.py")
        spec = importlib.util.spec_from_file_location("social_crm_post_migration_18_0_1_2_0_reasons", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration._priority_reasons_from_the_text(self.env.cr)
        self.env.invalidate_all()
        self.assertEqual(ticket.social_priority_reasons, [{"code": "text", "params": {"text": "question (+8)"}}])
        self.assertEqual(ticket.social_priority_explanation, "question (+8)")

    def test_connector_errors_are_translated_by_their_code(self):
        err = ConfigurationError(
            "A Reddit subreddit stream needs the subreddit name", code="needs_target", target="subreddit"
        )
        self.assertEqual(messages.error_text(self.env, err, "Reddit"), "The Reddit stream needs its subreddit name.")
        with self.french():
            env = self.env(context=dict(self.env.context, lang="fr_FR"))
            self.assertEqual(
                messages.error_text(env, err, "Reddit"), "Le flux Reddit a besoin de son nom du subreddit."
            )
            # on the account, in the language of whoever waits for the pull
            self.assertEqual(
                messages.error_sentence(env, err, "Reddit"), "Le flux Reddit a besoin de son nom du subreddit."
            )
        # without a code, or with one this version does not know: the English message
        self.assertIsNone(messages.error_text(self.env, ConnectorError("boom"), "X"))
        self.assertEqual(messages.connector_error_text(self.env, ConnectorError("boom", code="later"), "X"), "boom")
        missing = ConfigurationError(
            "X: missing setting(s) account_ref", code="missing_settings", settings=["account_ref"]
        )
        self.assertEqual(
            messages.error_text(self.env, missing, "X"),
            "This account needs “Account ID” to be read: fill it in on the Credentials tab.",
        )

    def test_a_stream_check_says_what_is_missing_in_the_users_words(self):
        account = self.streams["reddit"].account_id
        refused = ConfigurationError(
            "A Reddit subreddit stream needs the subreddit name", code="needs_target", target="subreddit"
        )
        with (
            patch.object(type(account._get_connector()), "check", side_effect=refused),
            self.french(),
            self.assertRaises(ValidationError) as caught,
        ):
            self.Stream.with_context(lang="fr_FR").create(
                {"name": "Sub", "account_id": account.id, "mode": "subreddit", "target": "odoo"}
            )
        self.assertIn("Le flux Reddit a besoin de son nom du subreddit.", str(caught.exception))
        self.assertNotIn("A Reddit subreddit stream", str(caught.exception))  # not the connector's English

    def test_every_code_the_connectors_raise_has_a_sentence(self):
        root = pathlib.Path(__file__).resolve().parent.parent / "connectors"
        codes = set()
        for path in root.glob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call) and getattr(node.func, "id", "").endswith(("Error", "Required")):
                    codes |= {
                        kw.value.value
                        for kw in node.keywords
                        if kw.arg == "code" and isinstance(kw.value, ast.Constant)
                    }
        codes -= {"http_status"}  # said from the status (error_sentence)
        self.assertTrue(codes)
        self.assertEqual(codes - set(messages.CONNECTOR_ERRORS), set())
