import hashlib
import re
from datetime import timedelta

from odoo import api, fields, models

from ..text_analysis import clean_for_detection
from .social_crm_advocacy_program import BEHAVIOURS

REVIEW = re.compile(
    r"(?<!\w)(review|reviewed|rated|stars?|★|⭐|recommend|recommended|empfehle|recomiendo|recomendo|consiglio)(?!\w)",
    re.IGNORECASE,
)
NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def text_fingerprint(text):
    """Same fingerprint for the same words, whatever the network decoration."""
    words = NON_WORD.sub(" ", clean_for_detection(text or "").lower()).split()
    return hashlib.sha1(" ".join(words).encode()).hexdigest() if words else False


class SocialCrmAdvocacyActivity(models.Model):
    """Points earned by an advocate, automatically from mentions or by hand."""

    _name = "social.crm.advocacy.activity"
    _description = "Advocacy activity"
    _order = "date desc, id desc"

    advocate_id = fields.Many2one("social.crm.advocate", required=True, ondelete="cascade", index=True)
    program_id = fields.Many2one(related="advocate_id.program_id", store=True, index=True)
    partner_id = fields.Many2one(related="advocate_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="advocate_id.company_id", store=True, index=True)
    behaviour = fields.Selection(BEHAVIOURS, required=True)
    points = fields.Integer("Points given", help="After the anti-farming limits.")
    base_points = fields.Integer("Points of the rule")
    state = fields.Selection(
        [
            ("awarded", "Awarded"),
            ("capped", "Daily limit reached"),
            ("duplicate", "Duplicate"),
            ("rejected", "Not eligible"),
        ],
        default="awarded",
        required=True,
        index=True,
    )
    note = fields.Char()
    date = fields.Datetime(default=fields.Datetime.now, required=True, index=True)
    source = fields.Selection([("auto", "From a mention"), ("manual", "By hand")], default="manual", required=True)
    mention_id = fields.Many2one("social.crm.mention", index=True, ondelete="set null")
    mention_text = fields.Text(related="mention_id.text")
    mention_url = fields.Char(related="mention_id.url")
    lead_id = fields.Many2one("crm.lead", index=True, ondelete="set null")
    fingerprint = fields.Char(index=True, readonly=True)
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("source", "manual") == "manual" and "base_points" not in vals:
                vals["base_points"] = vals.get("points", 0)
        activities = super().create(vals_list)
        activities.advocate_id._advance_stage()
        return activities

    # ----------------------------------------------------------- automation

    @api.model
    def _behaviours_of(self, mention):
        """What advocacy ``mention`` shows: a review, a positive mention, a
        share, or an answer to another customer's question."""
        mention.ensure_one()
        if mention.intent == "complaint" or mention.sentiment_label == "negative":
            return []
        positive = mention.intent == "praise" or mention.sentiment_label == "positive"
        behaviours = []
        if positive:
            behaviours.append("review" if REVIEW.search(mention.text or "") else "positive_mention")
        if mention.kind == "share":
            behaviours.append("share")
        if mention.kind == "reply" and mention.parent_ref:
            parent = mention.search(
                [
                    ("platform", "=", mention.platform),
                    ("external_id", "=", mention.parent_ref),
                    ("company_id", "=", mention.company_id.id),
                ],
                limit=1,
            )
            if parent.intent == "question" and parent.author_id and parent.author_id != mention.author_id:
                behaviours.append("answer")
        return behaviours

    @api.model
    def _award_from_mentions(self, mentions):
        """Turn the advocacy seen in analysed mentions into points."""
        mentions = mentions.filtered(lambda m: m.direction == "in" and m.partner_id and m.state != "ignored")
        if not mentions:
            return self.browse()
        programs = self.env["social.crm.advocacy.program"].sudo().search([])
        created = self.browse()
        for mention in mentions:
            behaviours = self._behaviours_of(mention)
            if not behaviours:
                continue
            partner, company = mention.partner_id, mention.company_id
            for program in programs.filtered(lambda p, company=company: p.company_id == company):
                advocate = program.advocate_ids.filtered(lambda a, partner=partner: a.partner_id == partner)[:1]
                if not advocate and program.auto_enroll:
                    advocate = (
                        self.env["social.crm.advocate"]
                        .sudo()
                        .create({"program_id": program.id, "partner_id": mention.partner_id.id})
                    )
                if not advocate:
                    continue
                for behaviour in behaviours:
                    created |= self._award(advocate, behaviour, mention=mention)
        return created

    @api.model
    def _award(self, advocate, behaviour, mention=None, lead=None):
        """Give the program's points for ``behaviour``, within the anti-farming limits."""
        program = advocate.program_id
        base = program._points_for(behaviour)
        if not base:
            return self.browse()
        key = [("advocate_id", "=", advocate.id), ("behaviour", "=", behaviour)]
        if mention and self.sudo().search_count(key + [("mention_id", "=", mention.id)]):
            return self.browse()  # already counted: processing a mention twice gives nothing twice
        if lead and self.sudo().search_count(key + [("lead_id", "=", lead.id)]):
            return self.browse()
        now = fields.Datetime.now()
        points, state, note = base, "awarded", False
        fingerprint = text_fingerprint(mention.text) if mention else False
        followers = (mention.author_followers or mention.author_id.followers_count) if mention else None
        if mention and program.min_followers and (followers or 0) < program.min_followers:
            points, state, note = (
                0,
                "rejected",
                self.env._("Account has fewer than %s followers", program.min_followers),
            )
        elif (
            fingerprint
            and program.duplicate_window_days
            and self.sudo().search_count(
                [
                    ("advocate_id", "=", advocate.id),
                    ("fingerprint", "=", fingerprint),
                    ("mention_id", "!=", mention.id),  # one post may show several behaviours
                    ("date", ">=", now - timedelta(days=program.duplicate_window_days)),
                ]
            )
        ):
            points, state, note = 0, "duplicate", self.env._("Same text already counted")
        elif mention and program.max_points_per_day:  # a won referral is verified value: no daily cap
            day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
            [[given]] = self.sudo()._read_group(
                [("advocate_id", "=", advocate.id), ("source", "=", "auto"), ("date", ">=", day_start)],
                [],
                ["points:sum"],
            )
            room = max(0, program.max_points_per_day - (given or 0))
            if points > room:
                points, state = room, "capped"
                note = self.env._("Daily limit of %s points", program.max_points_per_day)
        return self.sudo().create(
            {
                "advocate_id": advocate.id,
                "behaviour": behaviour,
                "points": points,
                "base_points": base,
                "state": state,
                "note": note,
                "source": "auto",
                "mention_id": mention.id if mention else False,
                "lead_id": lead.id if lead else False,
                "fingerprint": fingerprint,
                "date": now,
                "user_id": self.env.ref("base.user_root").id,
            }
        )
