from odoo import api, fields, models

from ..models.social_crm_author_review import CANDIDATES


class SocialCrmIdentityReview(models.TransientModel):
    """One identity to place: the contacts it may be, ranked with their evidence.
    A person links, merges, creates or keeps separate: nothing is done on its own."""

    _name = "social.crm.identity.review"
    _description = "Identity review"

    author_id = fields.Many2one("social.crm.author", required=True, readonly=True, ondelete="cascade")
    platform = fields.Selection(related="author_id.platform")
    handle = fields.Char(related="author_id.handle")
    name = fields.Char(related="author_id.name")
    profile_url = fields.Char(related="author_id.profile_url")
    website = fields.Char(related="author_id.website")
    bio = fields.Text(related="author_id.bio")
    followers_count = fields.Integer(related="author_id.followers_count")
    mention_count = fields.Integer(related="author_id.mention_count")
    partner_id = fields.Many2one(related="author_id.partner_id", string="Current contact")
    line_ids = fields.One2many("social.crm.identity.suggestion", "review_id", string="Suggested contacts")
    remaining_count = fields.Integer("Still to review", compute="_compute_remaining_count")

    def _compute_remaining_count(self):
        count = self.env["social.crm.author"].search_count([("review_state", "=", "to_review")])
        for review in self:
            review.remaining_count = count

    @api.model_create_multi
    def create(self, vals_list):
        reviews = super().create(vals_list)
        reviews.action_compute()
        return reviews

    def action_compute(self):
        for review in self:
            ranked = review.author_id._identity_candidates(limit=CANDIDATES)
            review.line_ids = [(5, 0, 0)] + [
                (0, 0, {"partner_id": partner.id, "score": score, "evidence": "\n".join(sentences), "rank": rank})
                for rank, (partner, score, sentences) in enumerate(ranked, start=1)
            ]

    def action_create_partner(self):
        self.ensure_one()
        self.author_id.action_create_partner()
        return self._next()

    def action_keep_separate(self):
        self.ensure_one()
        self.author_id.action_keep_separate()
        return self._next()

    def action_skip(self):
        self.ensure_one()
        return self._next()

    def _next(self):
        """The next identity to review, or a closing notification."""
        self.ensure_one()
        following = self.env["social.crm.author"].search(
            [("review_state", "=", "to_review"), ("partner_id", "=", False), ("id", ">", self.author_id.id)],
            order="id",
            limit=1,
        )
        if following:
            return following.action_review_identity()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("No identity left to review in this round."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }


class SocialCrmIdentitySuggestion(models.TransientModel):
    _name = "social.crm.identity.suggestion"
    _description = "Suggested contact of an identity"
    _order = "rank, id"

    review_id = fields.Many2one("social.crm.identity.review", required=True, ondelete="cascade")
    rank = fields.Integer(readonly=True)
    partner_id = fields.Many2one("res.partner", "Contact", readonly=True)
    partner_email = fields.Char(related="partner_id.email", string="E-mail")
    partner_website = fields.Char(related="partner_id.website", string="Website")
    score = fields.Integer("Match", readonly=True, help="Sum of the evidence (0-100); nothing is linked without you.")
    evidence = fields.Text("Why", readonly=True)
    can_merge = fields.Boolean(compute="_compute_can_merge")

    @api.depends("review_id.partner_id", "partner_id")
    def _compute_can_merge(self):
        for line in self:
            own = line.review_id.partner_id
            line.can_merge = bool(own) and own != line.partner_id

    def action_link(self):
        """This identity is this contact: link it (the contact is not changed)."""
        self.ensure_one()
        author = self.review_id.author_id
        author.with_context(social_crm_auto=True).write(
            {
                "partner_id": self.partner_id.id,
                "review_state": "matched",
                "match_method": "manual",
                "match_evidence": (self.evidence or "").split("\n")[0][:250] or False,
            }
        )
        return self.review_id._next()

    def action_merge(self):
        """The identity's contact and this one are the same person: open Odoo's
        merge of contacts with both, for the user to check and confirm."""
        self.ensure_one()
        own = self.review_id.partner_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Merge contacts"),
            "res_model": "base.partner.merge.automatic.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": "res.partner", "active_ids": [self.partner_id.id, own.id]},
        }
