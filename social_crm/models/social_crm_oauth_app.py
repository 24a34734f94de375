from odoo import fields, models


class SocialCrmOAuthApp(models.Model):
    """The app registered on a Mastodon instance (``POST /api/v1/apps``), kept
    per company, instance and redirect URL so that it is registered once."""

    _name = "social.crm.oauth.app"
    _description = "Social CRM app registered on an instance"
    _rec_name = "instance"

    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    platform = fields.Char(required=True, default="mastodon")
    instance = fields.Char(required=True)
    redirect_uri = fields.Char(required=True)
    client_id = fields.Char(groups="base.group_system", required=True)
    client_secret = fields.Char(groups="base.group_system")

    _sql_constraints = [
        (
            "instance_unique",
            "unique(company_id, platform, instance, redirect_uri)",
            "The app is registered once per instance and redirect URL.",
        ),
    ]
