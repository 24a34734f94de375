from odoo import fields, models


class SocialCrmAdvocacyStage(models.Model):
    _name = "social.crm.advocacy.stage"
    _description = "Advocate stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean()
    auto_from_points = fields.Integer(
        "Move here from (points)",
        help="Advocates reaching this many lifetime points move to this stage (never backwards). 0: by hand only.",
    )
