import importlib.util
import os

from odoo.tests import common, tagged

from odoo.addons.social_crm.connectors import CONNECTORS


@tagged("post_install", "-at_install")
class TestInstall(common.TransactionCase):
    def test_models_menus_and_groups_exist(self):
        for model in ("social.crm.account", "social.crm.stream", "social.crm.mention", "social.crm.author"):
            self.assertIn(model, self.env)
        self.assertTrue(self.env.ref("social_crm.social_crm_menu_root").active)
        manager = self.env.ref("social_crm.group_social_crm_manager")
        self.assertIn(self.env.ref("social_crm.group_social_crm_user"), manager.implied_ids)
        self.assertIn(self.env.ref("base.user_admin"), manager.users)

    def test_cron_is_installed_in_18_format(self):
        cron = self.env.ref("social_crm.ir_cron_pull_mentions")
        self.assertTrue(cron.active)
        self.assertEqual(cron.code.strip(), "model._cron_pull_mentions()")
        self.assertEqual(cron.model_id.model, "social.crm.account")  # it selects and locks accounts
        self.assertEqual((cron.interval_number, cron.interval_type), (5, "minutes"))

    def test_every_connector_is_a_platform_choice(self):
        platforms = dict(self.env["social.crm.account"]._fields["platform"]._description_selection(self.env))
        self.assertEqual(set(platforms), set(CONNECTORS))

    def test_credentials_are_for_system_admins_only(self):
        for name in ("access_token", "api_key", "client_id", "client_secret", "username", "password"):
            field = self.env["social.crm.account"]._fields[name]
            self.assertEqual(field.groups, "base.group_system", name)

    def test_mention_unique_per_platform(self):
        constraints = dict((name, sql) for name, sql, _msg in self.env["social.crm.mention"]._sql_constraints)
        self.assertEqual(constraints["platform_external_id_unique"], "unique(platform, external_id)")

    def test_processing_queue_is_a_partial_index_and_old_indexes_are_dropped(self):
        cr = self.env.cr
        cr.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'social_crm_mention_to_process_index'")
        self.assertIn("WHERE", cr.fetchone()[0])
        # the queue query is served by it
        cr.execute("SET LOCAL enable_seqscan = off")
        cr.execute(
            "EXPLAIN SELECT id FROM social_crm_mention WHERE state = 'new' AND direction = 'in' ORDER BY id LIMIT 1000"
        )
        self.assertIn("social_crm_mention_to_process_index", " ".join(row[0] for row in cr.fetchall()))
        # an index of 18.0.1.0.0 is dropped by the migration (DDL is rolled back with the test)
        cr.execute('CREATE INDEX "social_crm_mention__intent_index" ON social_crm_mention (intent)')
        path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations", "18.0.1.1.0", "pre-migration.py")
        spec = importlib.util.spec_from_file_location("social_crm_pre_migration_18_0_1_1_0", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(cr, "18.0.1.0.0")
        cr.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'social_crm_mention__intent_index'")
        self.assertFalse(cr.fetchall())
