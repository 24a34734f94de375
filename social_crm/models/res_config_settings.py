from odoo import api, fields, models

# the redirect URL each developer app must allow (Instagram uses Facebook's)
REDIRECT_PLATFORMS = ("reddit", "x", "youtube", "facebook", "mastodon")


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    social_crm_languages = fields.Char(related="company_id.social_crm_languages", readonly=False)
    social_crm_identity_policy = fields.Selection(related="company_id.social_crm_identity_policy", readonly=False)
    social_crm_sla_hours_urgent = fields.Float(related="company_id.social_crm_sla_hours_urgent", readonly=False)
    social_crm_sla_hours_high = fields.Float(related="company_id.social_crm_sla_hours_high", readonly=False)
    social_crm_sla_hours_medium = fields.Float(related="company_id.social_crm_sla_hours_medium", readonly=False)
    social_crm_sla_hours_low = fields.Float(related="company_id.social_crm_sla_hours_low", readonly=False)
    social_crm_helpdesk_team_id = fields.Many2one(related="company_id.social_crm_helpdesk_team_id", readonly=False)
    social_crm_crm_team_id = fields.Many2one(related="company_id.social_crm_crm_team_id", readonly=False)
    social_crm_resolution_hours_urgent = fields.Float(
        related="company_id.social_crm_resolution_hours_urgent", readonly=False
    )
    social_crm_resolution_hours_high = fields.Float(
        related="company_id.social_crm_resolution_hours_high", readonly=False
    )
    social_crm_resolution_hours_medium = fields.Float(
        related="company_id.social_crm_resolution_hours_medium", readonly=False
    )
    social_crm_resolution_hours_low = fields.Float(related="company_id.social_crm_resolution_hours_low", readonly=False)
    social_crm_followup_hours = fields.Float(related="company_id.social_crm_followup_hours", readonly=False)

    social_crm_reddit_client_id = fields.Char(
        related="company_id.social_crm_reddit_client_id", readonly=False, groups="base.group_system"
    )
    social_crm_reddit_client_secret = fields.Char(
        related="company_id.social_crm_reddit_client_secret", readonly=False, groups="base.group_system"
    )
    social_crm_x_client_id = fields.Char(
        related="company_id.social_crm_x_client_id", readonly=False, groups="base.group_system"
    )
    social_crm_x_client_secret = fields.Char(
        related="company_id.social_crm_x_client_secret", readonly=False, groups="base.group_system"
    )
    social_crm_google_client_id = fields.Char(
        related="company_id.social_crm_google_client_id", readonly=False, groups="base.group_system"
    )
    social_crm_google_client_secret = fields.Char(
        related="company_id.social_crm_google_client_secret", readonly=False, groups="base.group_system"
    )
    social_crm_meta_app_id = fields.Char(
        related="company_id.social_crm_meta_app_id", readonly=False, groups="base.group_system"
    )
    social_crm_meta_app_secret = fields.Char(
        related="company_id.social_crm_meta_app_secret", readonly=False, groups="base.group_system"
    )
    social_crm_redirect_reddit = fields.Char("Reddit redirect URL", compute="_compute_social_crm_redirects")
    social_crm_redirect_x = fields.Char("X redirect URL", compute="_compute_social_crm_redirects")
    social_crm_redirect_youtube = fields.Char("Google redirect URL", compute="_compute_social_crm_redirects")
    social_crm_redirect_facebook = fields.Char("Meta redirect URL", compute="_compute_social_crm_redirects")
    social_crm_redirect_mastodon = fields.Char("Mastodon redirect URL", compute="_compute_social_crm_redirects")

    @api.depends("company_id")
    def _compute_social_crm_redirects(self):
        State = self.env["social.crm.oauth.state"]
        for settings in self:
            for platform in REDIRECT_PLATFORMS:
                settings[f"social_crm_redirect_{platform}"] = State._redirect_uri(platform)
