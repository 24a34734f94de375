import logging

from odoo import api, fields, models

from .social_crm_account import PLATFORMS

_logger = logging.getLogger(__name__)


class SocialCrmMention(models.Model):
    """One post, comment or feed entry heard on a social platform."""

    _name = "social.crm.mention"
    _description = "Social Mention"
    _order = "posted_at desc, id desc"
    _rec_names_search = ["text", "author_handle", "title"]
    _check_company_auto = True

    platform = fields.Selection(PLATFORMS, required=True, index=True)
    external_id = fields.Char("External ID", required=True, index=True, readonly=True)
    account_id = fields.Many2one(
        "social.crm.account", required=True, ondelete="restrict", index=True, check_company=True
    )
    stream_id = fields.Many2one("social.crm.stream", ondelete="set null", index=True)
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    url = fields.Char("URL", readonly=True)
    title = fields.Char(readonly=True)
    text = fields.Text(readonly=True)
    posted_at = fields.Datetime(index=True, readonly=True)
    fetched_at = fields.Datetime(default=fields.Datetime.now, readonly=True)
    # Author, as seen when the mention was fetched
    author_id = fields.Many2one("social.crm.author", string="Author", index=True, ondelete="set null")
    author_handle = fields.Char(readonly=True)
    author_name = fields.Char(readonly=True)
    author_followers = fields.Integer("Followers", readonly=True)
    partner_id = fields.Many2one(
        related="author_id.partner_id", store=True, index=True, string="Contact"
    )
    # Conversation and engagement
    thread_ref = fields.Char("Thread", readonly=True, index=True)
    parent_ref = fields.Char("In reply to", readonly=True)
    like_count = fields.Integer("Likes", readonly=True)
    reply_count = fields.Integer("Replies", readonly=True)
    share_count = fields.Integer("Shares", readonly=True)
    # Understanding (filled by the analysis step)
    platform_language = fields.Char(readonly=True, help="Language tag given by the platform, if any.")
    language = fields.Char(index=True, help="Detected language (ISO 639-1); 'und' when unknown.")
    sentiment_label = fields.Selection(
        [
            ("positive", "Positive"),
            ("neutral", "Neutral"),
            ("negative", "Negative"),
            ("not_scored", "Not scored"),
        ],
        string="Sentiment",
        index=True,
        help="Sentiment is scored for English only; other languages are 'Not scored'.",
    )
    sentiment_score = fields.Float(
        digits=(3, 3),
        aggregator="avg",
        help="VADER compound score from -1 to 1. Stored only for scored mentions "
        "(NULL otherwise, so averages ignore unscored mentions).",
    )
    state = fields.Selection(
        [
            ("new", "New"),
            ("analysed", "Analysed"),
            ("routed", "Routed"),
            ("ignored", "Ignored"),
        ],
        default="new",
        required=True,
        index=True,
    )
    raw_payload = fields.Json(readonly=True, groups="social_crm.group_social_crm_manager")

    _sql_constraints = [
        (
            "platform_external_id_unique",
            "unique(platform, external_id)",
            "This mention was already stored.",
        ),
    ]

    @api.depends("author_handle", "author_name", "text", "title")
    def _compute_display_name(self):
        for mention in self:
            who = mention.author_handle or mention.author_name or "?"
            snippet = (mention.title or mention.text or "").replace("\n", " ")
            mention.display_name = f"{who}: {snippet[:60]}"

    def action_open_url(self):
        self.ensure_one()
        return {"type": "ir.actions.act_url", "url": self.url, "target": "new"}

    def action_ignore(self):
        self.write({"state": "ignored"})

    # --------------------------------------------------------------- ingestion

    @api.model
    def _ingest(self, stream, mentions):
        """Store connector mentions for ``stream``; known ones are skipped.

        Idempotent: the (platform, external id) key makes a re-run a no-op.
        Returns the created records.
        """
        platform = stream.account_id.platform
        fresh = {}
        for mention in mentions:
            if mention.external_id and mention.external_id not in fresh:
                fresh[mention.external_id] = mention
        if not fresh:
            return self.browse()
        known = self.with_context(active_test=False).search_fetch(
            [("platform", "=", platform), ("external_id", "in", list(fresh))], ["external_id"]
        )
        for external_id in known.mapped("external_id"):
            fresh.pop(external_id, None)
        if not fresh:
            return self.browse()
        authors = self.env["social.crm.author"].sudo()._find_or_create(
            platform, [m.author for m in fresh.values()]
        )
        return self.create(
            [self._prepare_vals(stream, m, authors.get(m.author.key)) for m in fresh.values()]
        )

    @api.model
    def _prepare_vals(self, stream, mention, author):
        posted_at = mention.posted_at
        return {
            "platform": stream.account_id.platform,
            "external_id": mention.external_id,
            "account_id": stream.account_id.id,
            "stream_id": stream.id,
            "url": mention.url,
            "title": mention.title,
            "text": mention.text,
            "posted_at": posted_at.replace(tzinfo=None) if posted_at else fields.Datetime.now(),
            "author_id": author.id if author else False,
            "author_handle": mention.author.handle,
            "author_name": mention.author.name,
            "author_followers": mention.author.followers or 0,
            "thread_ref": mention.thread_id,
            "parent_ref": mention.parent_id,
            "like_count": mention.like_count or 0,
            "reply_count": mention.reply_count or 0,
            "share_count": mention.share_count or 0,
            "platform_language": mention.language,
            "raw_payload": mention.raw,
        }
