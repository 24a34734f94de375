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
        self.assertEqual(cron.model_id.model, "social.crm.stream")
        self.assertEqual((cron.interval_number, cron.interval_type), (5, "minutes"))

    def test_every_connector_is_a_platform_choice(self):
        platforms = dict(self.env["social.crm.account"]._fields["platform"].selection)
        self.assertEqual(set(platforms), set(CONNECTORS))

    def test_credentials_are_for_system_admins_only(self):
        for name in ("access_token", "api_key", "client_id", "client_secret", "username", "password"):
            field = self.env["social.crm.account"]._fields[name]
            self.assertEqual(field.groups, "base.group_system", name)

    def test_mention_unique_per_platform(self):
        constraints = dict((name, sql) for name, sql, _msg in self.env["social.crm.mention"]._sql_constraints)
        self.assertEqual(constraints["platform_external_id_unique"], "unique(platform, external_id)")
