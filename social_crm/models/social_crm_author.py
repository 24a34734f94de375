from odoo import api, fields, models

from .social_crm_account import PLATFORMS


class SocialCrmAuthor(models.Model):
    """One identity of a person on one platform, optionally linked to a contact.

    A partner can have several identities (X, Mastodon, Bluesky...)."""

    _name = "social.crm.author"
    _description = "Social Identity"
    _order = "followers_count desc, id"
    _rec_names_search = ["handle", "name"]

    platform = fields.Selection(PLATFORMS, required=True, index=True)
    external_key = fields.Char(
        required=True, index=True, help="The platform's stable id of the author (lowercase)."
    )
    handle = fields.Char(index="trigram")
    name = fields.Char(index="trigram")
    profile_url = fields.Char("Profile URL")
    avatar_url = fields.Char("Avatar URL")
    followers_count = fields.Integer("Followers")
    verified = fields.Boolean()
    bio = fields.Text()
    website = fields.Char()
    partner_id = fields.Many2one("res.partner", string="Contact", index=True, ondelete="set null")
    company_id = fields.Many2one("res.company", index=True)
    mention_ids = fields.One2many("social.crm.mention", "author_id", string="Mentions")
    mention_count = fields.Integer(compute="_compute_mention_count")
    last_seen_at = fields.Datetime(readonly=True)

    _sql_constraints = [
        (
            "platform_key_unique",
            "unique(platform, external_key)",
            "This identity already exists on this platform.",
        ),
    ]

    @api.depends("handle", "name", "platform")
    def _compute_display_name(self):
        labels = dict(PLATFORMS)
        for author in self:
            who = f"@{author.handle}" if author.handle else (author.name or author.external_key)
            author.display_name = f"{who} ({labels.get(author.platform, author.platform)})"

    def _compute_mention_count(self):
        counts = dict(
            self.env["social.crm.mention"]._read_group(
                [("author_id", "in", self.ids)], ["author_id"], ["__count"]
            )
        )
        for author in self:
            author.mention_count = counts.get(author, 0)

    def action_view_mentions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("social_crm.social_crm_mention_action")
        action["domain"] = [("author_id", "=", self.id)]
        return action

    @api.model
    def _find_or_create(self, platform, authors):
        """Map connector ``Author`` values to records, creating the missing ones
        in one batch and refreshing profile data of the known ones.

        Returns ``{author.key: record}``.
        """
        wanted = {}
        for author in authors:
            if author.key and author.key not in wanted:
                wanted[author.key] = author
        if not wanted:
            return {}
        existing = self.search([("platform", "=", platform), ("external_key", "in", list(wanted))])
        by_key = {record.external_key: record for record in existing}
        now = fields.Datetime.now()
        existing.write({"last_seen_at": now})
        for key, record in by_key.items():
            vals = self._prepare_refresh_vals(record, wanted[key])
            if vals:
                record.write(vals)
        missing = [key for key in wanted if key not in by_key]
        if missing:
            created = self.create(
                [dict(self._prepare_vals(platform, wanted[key]), last_seen_at=now) for key in missing]
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
