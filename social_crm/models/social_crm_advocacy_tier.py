from odoo import fields, models


class SocialCrmAdvocacyTier(models.Model):
    _name = "social.crm.advocacy.tier"
    _description = "Advocacy tier"
    _order = "program_id, min_points, id"

    program_id = fields.Many2one("social.crm.advocacy.program", required=True, ondelete="cascade", index=True)
    name = fields.Char(required=True, translate=True)
    min_points = fields.Integer("From (lifetime points)", required=True)
    color = fields.Integer()
    perks = fields.Text()
