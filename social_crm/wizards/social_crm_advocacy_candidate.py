from odoo import fields, models


class SocialCrmAdvocacyCandidate(models.TransientModel):
    """Contacts who keep speaking well of us and are not advocates yet."""

    _name = "social.crm.advocacy.candidate"
    _description = "Advocate suggestions"

    program_id = fields.Many2one("social.crm.advocacy.program", required=True)
    line_ids = fields.One2many("social.crm.advocacy.candidate.line", "wizard_id")

    def action_compute(self):
        self.ensure_one()
        program = self.program_id
        since = fields.Datetime.subtract(fields.Datetime.now(), days=90)
        groups = self.env["social.crm.mention"]._read_group(
            [
                ("partner_id", "!=", False),
                ("company_id", "=", program.company_id.id),
                ("posted_at", ">=", since),
                ("direction", "=", "in"),
                "|",
                ("intent", "=", "praise"),
                ("sentiment_label", "=", "positive"),
            ],
            ["partner_id"],
            ["__count"],
        )
        enrolled = set(program.with_context(active_test=False).advocate_ids.partner_id.ids)
        lines = [
            (0, 0, {"partner_id": partner.id, "positive_mentions": count, "influence": partner.social_influence})
            for partner, count in groups
            if count >= program.candidate_min_mentions and partner.id not in enrolled
        ]
        self.line_ids.unlink()
        self.write({"line_ids": sorted(lines, key=lambda cmd: (-cmd[2]["positive_mentions"], -cmd[2]["influence"]))})

    def action_enroll(self):
        self.ensure_one()
        chosen = self.line_ids.filtered("selected") or self.line_ids
        advocates = self.env["social.crm.advocate"].create(
            [{"program_id": self.program_id.id, "partner_id": line.partner_id.id} for line in chosen]
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Advocates"),
            "res_model": "social.crm.advocate",
            "view_mode": "kanban,list,form",
            "domain": [("id", "in", advocates.ids)],
        }


class SocialCrmAdvocacyCandidateLine(models.TransientModel):
    _name = "social.crm.advocacy.candidate.line"
    _description = "Advocate suggestion"
    _order = "positive_mentions desc, influence desc"

    wizard_id = fields.Many2one("social.crm.advocacy.candidate", required=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", readonly=True)
    positive_mentions = fields.Integer(readonly=True)
    influence = fields.Integer(readonly=True)
    selected = fields.Boolean("Enroll")
