"""What the identity review (wizard social.crm.identity.review) asks of an
identity: its likely contacts, ranked with their evidence."""

from odoo import models

from ..scoring.identity import (
    PROFILE_HOSTS,
    WEBMAIL,
    Contact,
    Identity,
    domain_of,
    handle_root,
    normalize_url,
    rank_candidates,
)
from .social_crm_author import EMAIL

CANDIDATES = 5  # suggestions shown for one identity
SEARCH_LIMIT = 40  # contacts read per kind of evidence before ranking


class SocialCrmAuthor(models.Model):
    _inherit = "social.crm.author"

    def action_review_identity(self):
        """Open the review of this identity with its suggested contacts."""
        self.ensure_one()
        review = self.env["social.crm.identity.review"].create({"author_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Who is %(who)s?", who=self.display_name),
            "res_model": review._name,
            "res_id": review.id,
            "view_mode": "form",
            "target": "new",
        }

    def _identity_candidates(self, limit=CANDIDATES):
        """``[(partner, score, evidence sentences)]``, the most likely first."""
        self.ensure_one()
        Partner = self.env["res.partner"].with_context(active_test=True)
        emails = tuple(self._emails_in_profile())
        found = Partner.browse()
        root = handle_root(self.handle)
        if len(root) >= 3:
            others = self.search(
                [("id", "!=", self.id), ("partner_id", "!=", False), ("handle", "=ilike", f"{root}%")],
                limit=SEARCH_LIMIT,
            )
            found |= others.partner_id
        profile = normalize_url(self.profile_url)
        if profile:
            found |= Partner.search([("website", "ilike", profile)], limit=SEARCH_LIMIT)
        domains = {domain_of(self.website)} if self.website else set()
        domains |= {domain_of(email) for email in emails}
        for domain in sorted(domains - PROFILE_HOSTS - WEBMAIL - {""}):
            found |= Partner.search(
                ["|", ("website", "ilike", domain), ("email", "=ilike", f"%@{domain}")], limit=SEARCH_LIMIT
            )
        for word in sorted({w for w in (self.name or "").replace(".", " ").split() if len(w) >= 3})[:3]:
            found |= Partner.search([("name", "ilike", word)], limit=SEARCH_LIMIT)
        found -= self.partner_id
        labels = dict(self._fields["platform"]._description_selection(self.env))
        contacts = [
            Contact(
                id=partner.id,
                name=partner.name or "",
                email=partner.email or "",
                website=partner.website or "",
                handles=tuple(
                    (labels.get(a.platform, a.platform), a.handle) for a in partner.social_author_ids if a.handle
                ),
            )
            for partner in found
        ]
        identity = Identity(
            handle=self.handle or "",
            name=self.name or "",
            profile_url=self.profile_url or "",
            website=self.website or "",
            emails=emails,
        )
        return [
            (Partner.browse(c.contact_id), c.score, [self._evidence_sentence(e) for e in c.evidence])
            for c in rank_candidates(identity, contacts, limit=limit)
        ]

    def _emails_in_profile(self):
        return sorted({e.lower() for e in EMAIL.findall(" ".join(filter(None, [self.bio, self.website])))})

    def _evidence_sentence(self, evidence):
        texts = {
            "profile_url": self.env._("Their website is this profile page (%(what)s)"),
            "handle": self.env._("Same handle on another platform: %(what)s"),
            "website": self.env._("Same web site: %(what)s"),
            "email_domain": self.env._("E-mail on the same domain: %(what)s"),
            "name": self.env._("Similar name (%(what)s alike)"),
        }
        return f"{texts[evidence.code] % {'what': evidence.detail}} (+{evidence.points})"
