import re
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import email_normalize

from ..connectors.records import http_url
from ..scoring import influence_score
from ..text_analysis.sentiment import label_for
from .counting import count_by
from .social_crm_account import platform_labels, platform_selection

# Bounded on purpose: a profile is hostile input. Each part has a maximum length
# and an address starts only where no address character precedes, so a search
# is linear in the text (the unbounded form took 12 s on a 60,000 character bio).
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
URL = re.compile(r"https?://[^\s<>\"')]{1,2000}", re.IGNORECASE)
MAX_PROFILE_SCAN = 2000  # characters of a bio searched for e-mails and links
SENTIMENT_LABELS = [("positive", "Positive"), ("neutral", "Neutral"), ("negative", "Negative")]
TREND_LABELS = [
    ("improving", "Improving"),
    ("stable", "Stable"),
    ("worsening", "Worsening"),
    ("new", "No earlier data"),
]
TREND_DELTA = 0.1  # change of the average score that makes a trend


def normalize_url(url):
    """Comparable form of a URL: no scheme, no www., no trailing slash, lowercase."""
    url = (url or "").strip().lower()
    url = re.sub(r"^[a-z]+://", "", url)
    url = re.sub(r"^www\.", "", url)
    return url.split("#")[0].split("?")[0].rstrip("/")


class SocialCrmAuthor(models.Model):
    """One identity of a person on one platform, optionally linked to a contact.

    A partner can have several identities (X, Mastodon, Bluesky...)."""

    _name = "social.crm.author"
    _description = "Social Identity"
    _order = "followers_count desc, id"
    _rec_names_search = ["handle", "name"]
    _check_company_auto = True

    platform = fields.Selection(platform_selection, required=True, index=True)
    external_key = fields.Char(required=True, index=True, help="The platform's stable id of the author (lowercase).")
    handle = fields.Char(index="trigram")
    name = fields.Char(index="trigram")
    profile_url = fields.Char("Profile URL")
    avatar_url = fields.Char("Avatar URL")
    followers_count = fields.Integer("Followers")
    verified = fields.Boolean()
    bio = fields.Text()
    website = fields.Char()
    partner_id = fields.Many2one("res.partner", string="Contact", index=True, ondelete="set null", check_company=True)
    # an identity belongs to the company whose account heard it: each company has its
    # own identities of the same person, with its own contact
    company_id = fields.Many2one("res.company", index=True, default=lambda self: self.env.company)
    mention_ids = fields.One2many("social.crm.mention", "author_id", string="Mentions")
    mention_count = fields.Integer(compute="_compute_mention_count")
    last_seen_at = fields.Datetime(readonly=True, help="When the author's latest mention was posted.")
    # Influence (0-100) and how it was computed
    influence_score = fields.Integer("Influence", readonly=True, aggregator="max")
    influence_breakdown = fields.Json(readonly=True)
    influence_explanation = fields.Char(compute="_compute_influence_explanation")
    # Identity resolution
    review_state = fields.Selection(
        [
            ("pending", "Not checked"),
            ("matched", "Matched"),
            ("created", "Contact created"),
            ("to_review", "To review"),
            ("rejected", "Kept separate"),
        ],
        default="pending",
        required=True,
        index=True,
    )
    match_method = fields.Selection(
        [
            ("manual", "Linked by hand"),
            ("email", "Email in profile"),
            ("website", "Website in profile"),
            ("profile_url", "Profile URL on the contact"),
            ("created", "Created from the identity"),
        ],
        readonly=True,
    )
    match_evidence = fields.Char(readonly=True)

    _sql_constraints = [
        (
            "platform_key_unique",
            "unique(platform, external_key, company_id)",
            "This identity already exists on this platform.",
        ),
    ]

    @api.depends("handle", "name", "platform")
    def _compute_display_name(self):
        labels = platform_labels(self.env)
        for author in self:
            who = f"@{author.handle}" if author.handle else (author.name or author.external_key)
            author.display_name = f"{who} ({labels.get(author.platform, author.platform)})"

    @api.depends("influence_breakdown")
    def _compute_influence_explanation(self):
        labels = {"reach": "reach", "engagement": "engagement", "verified": "verified", "activity": "activity"}
        for author in self:
            parts = (author.influence_breakdown or {}).get("components") or {}
            author.influence_explanation = (
                " + ".join(f"{labels.get(name, name)} {value:g}" for name, value in parts.items() if value) or "-"
            )

    def _compute_mention_count(self):
        counts = count_by(self.env["social.crm.mention"], "author_id", self)
        for author in self:
            author.mention_count = counts.get(author, 0)

    def action_view_mentions(self):
        self.ensure_one()
        return self.env["social.crm.mention"]._action_for("author_id", self)

    def write(self, vals):
        if vals.get("partner_id") and "match_method" not in vals and not self.env.context.get("social_crm_auto"):
            vals = dict(vals, match_method="manual", review_state="matched", match_evidence=False)
        return super().write(vals)

    @api.model
    def _social_label(self, average):
        """Positive, neutral or negative, by the thresholds of the sentiment analysis."""
        return label_for(average)

    def _social_sentiment_summary(self, days=30):
        """The sentiment of these identities' scored mentions: the average of the
        last ``days`` days, its label, and its trend against the 60 days before.

        Returns ``{"average", "count", "label", "trend", "text"}``; label and
        trend are False when nothing was scored in the period."""
        Mention = self.env["social.crm.mention"]
        now = fields.Datetime.now()
        scored = [
            ("author_id", "in", self.ids),
            ("direction", "=", "in"),
            ("sentiment_label", "in", ("positive", "neutral", "negative")),
        ]
        recent_since, before_since = now - timedelta(days=days), now - timedelta(days=days + 60)
        [[recent, recent_count]] = Mention._read_group(
            scored + [("posted_at", ">=", recent_since)], [], ["sentiment_score:avg", "__count"]
        )
        [[before, before_count]] = Mention._read_group(
            scored + [("posted_at", "<", recent_since), ("posted_at", ">=", before_since)],
            [],
            ["sentiment_score:avg", "__count"],
        )
        summary = {"average": recent or 0.0, "count": recent_count, "label": False, "trend": False}
        if not recent_count:
            summary["text"] = self.env._("No scored mention in %(days)s days", days=days)
            return summary
        summary["label"] = self._social_label(recent)
        if not before_count:
            summary["trend"] = "new"
            summary["text"] = self.env._(
                "%(avg)+.2f over %(count)s mention(s), no earlier data", avg=recent, count=recent_count
            )
            return summary
        delta = recent - before
        summary["trend"] = "improving" if delta > TREND_DELTA else "worsening" if delta < -TREND_DELTA else "stable"
        words = {
            "improving": self.env._("improving"),
            "worsening": self.env._("worsening"),
            "stable": self.env._("stable"),
        }
        summary["text"] = self.env._(
            "%(word)s: %(avg)+.2f vs %(before)+.2f the 60 days before",
            word=words[summary["trend"]],
            avg=recent,
            before=before,
        )
        return summary

    # ------------------------------------------------------------------ actions

    def action_create_partner(self):
        self.check_access("write")  # the contact is created with sudo
        for author in self.filtered(lambda a: not a.partner_id):
            author.with_context(social_crm_auto=True).write(
                dict(partner_id=author._create_partner().id, review_state="created", match_method="created")
            )

    def action_keep_separate(self):
        self.check_access("write")
        self.filtered(lambda a: not a.partner_id).write({"review_state": "rejected"})

    # ------------------------------------------------------------ resolution

    def _resolve_partners(self):
        """Link authors to contacts by evidence; unknown ones follow the
        company's policy (queue for review, create a contact, or nothing)."""
        todo = self.filtered(lambda a: not a.partner_id and a.review_state == "pending")
        if not todo:
            return
        for author in todo:
            partner, method, evidence = author._match_partner()
            vals = {}
            if partner:
                vals = {
                    "partner_id": partner.id,
                    "review_state": "matched",
                    "match_method": method,
                    "match_evidence": evidence,
                }
            else:
                company = author.company_id or author.mention_ids[:1].company_id or self.env.company
                policy = company.social_crm_identity_policy
                if policy == "create":
                    vals = {
                        "partner_id": author._create_partner().id,
                        "review_state": "created",
                        "match_method": "created",
                    }
                elif policy == "review":
                    vals = {"review_state": "to_review"}
            if vals:
                author.with_context(social_crm_auto=True).write(vals)

    def _match_partner(self):
        """``(partner, method, evidence)`` or ``(empty, False, False)``."""
        self.ensure_one()
        Partner = self.env["res.partner"].sudo().with_context(active_test=True)
        # the contacts this identity's company may use: its own and the shared ones,
        # never another company's (the processing runs as the superuser)
        company = self.company_id or self.mention_ids[:1].company_id
        in_company = [("company_id", "in", [False, *company.ids])]
        text = " ".join(filter(None, [(self.bio or "")[:MAX_PROFILE_SCAN], (self.website or "")[:MAX_PROFILE_SCAN]]))
        emails = {email_normalize(e) for e in EMAIL.findall(text)} - {False, None}
        if emails:
            partner = Partner.search([("email_normalized", "in", list(emails)), *in_company], limit=1)
            if partner:
                return partner, "email", partner.email_normalized
        urls = {normalize_url(u) for u in URL.findall(text)} | (
            {normalize_url(self.website)} if self.website else set()
        )
        urls.discard("")
        for url in sorted(urls):
            domain = url.split("/")[0]
            for partner in Partner.search([("website", "ilike", domain), *in_company], limit=20):
                if normalize_url(partner.website) == url:
                    return partner, "website", url
        if self.profile_url:
            profile = normalize_url(self.profile_url)
            host = profile.split("/")[0]
            for partner in Partner.search([("website", "ilike", host), *in_company], limit=50):
                if normalize_url(partner.website) == profile:
                    return partner, "profile_url", profile
        return Partner.browse(), False, False

    def _create_partner(self):
        self.ensure_one()
        return (
            self.env["res.partner"]
            .sudo()
            .create(
                {
                    "name": self.name or self.handle or self.external_key,
                    "website": http_url(self.website) or http_url(self.profile_url) or False,
                    "comment": self.env._(
                        "Created from the %(platform)s identity %(who)s",
                        platform=platform_labels(self.env).get(self.platform),
                        who=self.display_name,
                    ),
                    "company_id": self.company_id.id or False,
                }
            )
        )

    def _update_influence(self):
        if not self:
            return
        stats = {
            author: rest
            for author, *rest in self.env["social.crm.mention"]._read_group(
                [("author_id", "in", self.ids), ("direction", "=", "in")],
                ["author_id"],
                ["__count", "like_count:sum", "reply_count:sum", "share_count:sum", "posted_at:max"],
            )
        }
        # only what changed is written: the pull cron may refresh the same authors meanwhile
        for author in self:
            count, likes, replies, shares, last_posted = stats.get(author, (0, 0, 0, 0, False))
            interactions = ((likes or 0) + (replies or 0) + (shares or 0)) / count if count else 0.0
            score, breakdown = influence_score(author.followers_count, interactions, author.verified, count)
            vals = {}
            if score != author.influence_score or breakdown != author.influence_breakdown:
                vals.update(influence_score=score, influence_breakdown=breakdown)
            if last_posted and last_posted != author.last_seen_at:
                vals["last_seen_at"] = last_posted
            if vals:
                author.write(vals)

    @api.model
    def _find_or_create(self, platform, authors, company=None):
        """Map connector ``Author`` values to the identities of ``company``,
        creating the missing ones in one batch and refreshing profile data of
        the known ones.

        Returns ``{author.key: record}``.
        """
        company = company or self.env.company
        wanted = {}
        for author in authors:
            if author.key and author.key not in wanted:
                wanted[author.key] = author
        if not wanted:
            return {}
        existing = self.search(
            [("platform", "=", platform), ("company_id", "=", company.id), ("external_key", "in", list(wanted))]
        )
        by_key = {record.external_key: record for record in existing}
        # only changed profiles are written (when the author was last seen is set by the
        # processing, from the mentions): fewer writes, no conflicts with the processing cron
        for key, record in by_key.items():
            vals = self._prepare_refresh_vals(record, wanted[key])
            if vals:
                record.write(vals)
        missing = [key for key in wanted if key not in by_key]
        if missing:
            created = self.create(
                [dict(self._prepare_vals(platform, wanted[key]), company_id=company.id) for key in missing]
            )
            by_key.update({record.external_key: record for record in created})
        return by_key

    @api.model
    def _prepare_vals(self, platform, author):
        return {
            "platform": platform,
            "external_key": author.key,
            "handle": author.handle,
            "name": author.name or author.handle,
            "profile_url": author.url,
            "avatar_url": author.avatar_url,
            "followers_count": author.followers or 0,
            "verified": author.verified,
            "bio": author.bio,
            "website": author.website,
        }

    @api.model
    def _prepare_refresh_vals(self, record, author):
        """Profile values that changed (only those the platform sent)."""
        vals = {}
        fresh = {
            "handle": author.handle,
            "name": author.name,
            "profile_url": author.url,
            "avatar_url": author.avatar_url,
            "bio": author.bio,
            "website": author.website,
        }
        if author.followers is not None:
            fresh["followers_count"] = author.followers
        for field, value in fresh.items():
            if value and record[field] != value:
                vals[field] = value
        if author.verified and not record.verified:
            vals["verified"] = True
        return vals
