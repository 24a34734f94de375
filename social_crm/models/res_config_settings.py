from odoo import fields, models


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
