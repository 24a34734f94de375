from odoo import fields, models

from .social_crm_advocacy_program import BEHAVIOURS


class SocialCrmAdvocacyRule(models.Model):
    _name = "social.crm.advocacy.rule"
    _description = "Advocacy points rule"
    _order = "program_id, sequence, id"

    program_id = fields.Many2one("social.crm.advocacy.program", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    behaviour = fields.Selection(BEHAVIOURS, required=True)
    points = fields.Integer(required=True, default=10)
    description = fields.Char()

    _sql_constraints = [
        ("behaviour_unique", "unique(program_id, behaviour)", "One rule per behaviour in a program."),
        ("points_positive", "CHECK(points >= 0)", "Points cannot be negative."),
    ]
