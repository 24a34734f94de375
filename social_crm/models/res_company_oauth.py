from odoo import fields, models


class ResCompany(models.Model):
    """The company's own developer apps, used by the accounts' *Connect* buttons."""

    _inherit = "res.company"

    social_crm_reddit_client_id = fields.Char("Reddit client id", groups="base.group_system")
    social_crm_reddit_client_secret = fields.Char("Reddit client secret", groups="base.group_system")
    social_crm_x_client_id = fields.Char("X client id", groups="base.group_system")
    social_crm_x_client_secret = fields.Char("X client secret", groups="base.group_system")
    social_crm_google_client_id = fields.Char("Google client id", groups="base.group_system")
    social_crm_google_client_secret = fields.Char("Google client secret", groups="base.group_system")
    social_crm_meta_app_id = fields.Char("Meta app id", groups="base.group_system")
    social_crm_meta_app_secret = fields.Char("Meta app secret", groups="base.group_system")
