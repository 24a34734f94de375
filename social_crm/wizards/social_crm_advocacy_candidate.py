from odoo import api, fields, models

POSITIVE = ["|", ("intent", "=", "praise"), ("sentiment_label", "=", "positive")]


class SocialCrmAdvocacyCandidate(models.TransientModel):
    """People who keep speaking well of us and are not advocates yet: contacts,
    and authors who are not contacts yet."""

    _name = "social.crm.advocacy.candidate"
    _description = "Advocate suggestions"

    program_id = fields.Many2one("social.crm.advocacy.program", required=True)
    line_ids = fields.One2many("social.crm.advocacy.candidate.line", "wizard_id")
    empty_reason = fields.Text(readonly=True, help="Why nobody is suggested, and what to change.")

    def _positive_domain(self, since):
        return [
            ("company_id", "=", self.program_id.company_id.id),
            ("posted_at", ">=", since),
            ("direction", "=", "in"),
            *POSITIVE,
        ]

    def action_compute(self):
        self.ensure_one()
        program = self.program_id
        minimum = program.candidate_min_mentions
        since = fields.Datetime.subtract(fields.Datetime.now(), days=90)
        Mention = self.env["social.crm.mention"]
        domain = self._positive_domain(since)
        by_partner = Mention._read_group(domain + [("partner_id", "!=", False)], ["partner_id"], ["__count"])
        # authors who are no contact yet: one click on their line makes them one
        by_author = Mention._read_group(
            domain + [("partner_id", "=", False), ("author_id", "!=", False), ("author_id.partner_id", "=", False)],
            ["author_id"],
            ["__count"],
        )
        enrolled = set(program.with_context(active_test=False).advocate_ids.partner_id.ids)
        lines = [
            {"partner_id": partner.id, "positive_mentions": count, "influence": partner.social_influence}
            for partner, count in by_partner
            if count >= minimum and partner.id not in enrolled
        ] + [
            {"author_id": author.id, "positive_mentions": count, "influence": author.influence_score}
            for author, count in by_author
            if count >= minimum
        ]
        lines.sort(key=lambda vals: (-vals["positive_mentions"], -vals["influence"]))
        self.line_ids.unlink()
        self.write({"line_ids": [(0, 0, vals) for vals in lines], "empty_reason": False})
        if not lines:
            self.empty_reason = self._empty_reason(by_partner, by_author, enrolled, minimum)

    def _empty_reason(self, by_partner, by_author, enrolled, minimum):
        mentions = sum(count for _who, count in by_partner) + sum(count for _who, count in by_author)
        people = len(by_partner) + len(by_author)
        if not mentions:
            return self.env._(
                "Nobody spoke well of you in the last 90 days: candidates appear when mentions are praise or "
                "positive (sentiment is scored for English only)."
            )
        reached = [partner for partner, count in by_partner if count >= minimum]
        if reached and all(partner.id in enrolled for partner in reached):
            return self.env._(
                "Everyone with at least %(minimum)s positive mentions in 90 days is already in the program.",
                minimum=minimum,
            )
        return self.env._(
            "%(mentions)s positive mention(s) from %(people)s people in the last 90 days, but nobody has "
            "%(minimum)s yet. Lower “Suggest after” on the program to see more candidates.",
            mentions=mentions,
            people=people,
            minimum=minimum,
        )

    def action_enroll(self):
        self.ensure_one()
        chosen = self.line_ids.filtered("selected") or self.line_ids
        chosen.filtered(lambda line: not line.partner_id)._create_contact()
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

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Candidate advocates"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }


class SocialCrmAdvocacyCandidateLine(models.TransientModel):
    _name = "social.crm.advocacy.candidate.line"
    _description = "Advocate suggestion"
    _order = "positive_mentions desc, influence desc"

    wizard_id = fields.Many2one("social.crm.advocacy.candidate", required=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", readonly=True)
    author_id = fields.Many2one("social.crm.author", "Author (not a contact yet)", readonly=True)
    name = fields.Char("Who", compute="_compute_name")
    positive_mentions = fields.Integer(readonly=True)
    influence = fields.Integer(readonly=True)
    selected = fields.Boolean("Enroll")

    @api.depends("partner_id", "author_id")
    def _compute_name(self):
        for line in self:
            line.name = line.partner_id.display_name or line.author_id.display_name

    def action_create_contact(self):
        """Make the author a contact (one click), and keep the suggestions open."""
        self._create_contact()
        return self.wizard_id._reopen()

    def _create_contact(self):
        for line in self.filtered(lambda line: not line.partner_id and line.author_id):
            line.author_id.action_create_partner()
            line.partner_id = line.author_id.partner_id
