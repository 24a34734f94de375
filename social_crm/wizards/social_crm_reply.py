import logging

import psycopg2

from odoo import _lt, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext

from ..connectors import AuthenticationError, ConnectorError, HttpClient, RateLimitedError, TransientError
from ..connectors.replies import ReplyError

_logger = logging.getLogger(__name__)

# What the connectors' ReplyError codes mean to an agent (connectors/replies.py)
REPLY_ERRORS = {
    "no_write_api": _lt(
        "%(platform)s offers no API to post replies: open the post, answer there, then log your answer here."
    ),
    "missing_credentials": _lt(
        "This account has no %(credential)s allowed to post on %(platform)s. "
        "Ask an administrator to connect it in Social CRM > Accounts."
    ),
    "empty": _lt("Write a reply first."),
    "too_long": _lt(
        "Your reply is %(length)s characters long as %(platform)s counts them, and %(platform)s allows "
        "%(limit)s. Shorten it by %(over)s."
    ),
    "no_private": _lt(
        "%(platform)s does not take private messages from Odoo: send a public reply, or answer on the platform."
    ),
    "missing_target": _lt(
        "This post was stored without what %(platform)s needs to answer it. Open it on the platform and answer there."
    ),
}


class SocialCrmReply(models.TransientModel):
    """Answer the customer on the platform the ticket came from."""

    _name = "social.crm.reply"
    _description = "Reply on the social platform"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, ondelete="cascade")
    mention_id = fields.Many2one(
        "social.crm.mention",
        "Reply to",
        required=True,
        domain="[('ticket_id', '=', ticket_id), ('direction', '=', 'in')]",
    )
    platform = fields.Selection(related="mention_id.platform")
    mention_author = fields.Char(related="mention_id.author_name", string="From")
    mention_text = fields.Text(related="mention_id.text", string="Their message")
    reply_mode = fields.Selection(
        [("public", "Public reply"), ("private", "Private message")],
        "Send as",
        default="public",
        required=True,
    )
    can_reply_privately = fields.Boolean(compute="_compute_connector_facts")
    private_only = fields.Boolean(
        compute="_compute_connector_facts", help="What it answers is private: so is the answer."
    )
    template_id = fields.Many2one(
        "mail.template",
        "Saved reply",
        domain="[('social_crm_saved_reply', '=', True), ('model', '=', 'helpdesk.ticket')]",
    )
    body = fields.Text("Your reply")
    body_length = fields.Integer(compute="_compute_body_length")
    body_limit = fields.Integer(compute="_compute_connector_facts", help="0: the platform sets no known limit.")
    body_counting = fields.Char(compute="_compute_connector_facts")
    body_prefix = fields.Char(
        compute="_compute_connector_facts", help="What the platform's reply starts with (Mastodon: @author)."
    )
    can_post = fields.Boolean(compute="_compute_connector_facts")
    deep_link = fields.Char(related="mention_id.url", string="Open on the platform")
    help_text = fields.Char(compute="_compute_connector_facts")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        ticket = self.env["helpdesk.ticket"].browse(values.get("ticket_id"))
        if ticket and "mention_id" in fields_list and not values.get("mention_id"):
            latest = ticket.social_mention_ids.filtered(lambda m: m.direction == "in").sorted("posted_at")[-1:]
            values["mention_id"] = (latest or ticket.social_mention_id).id
        mention = self.env["social.crm.mention"].browse(values.get("mention_id"))
        if mention and "reply_mode" in fields_list and self._is_private(mention):
            values["reply_mode"] = "private"
        return values

    @staticmethod
    def _is_private(mention):
        """A direct message (Mastodon) is answered in private."""
        return mention.platform == "mastodon" and (mention.sudo().raw_payload or {}).get("visibility") == "direct"

    def _connector(self, http=None):
        account = self.mention_id.account_id
        return account._get_connector(http=http) if account else None

    @api.depends("mention_id", "reply_mode")
    def _compute_connector_facts(self):
        for wizard in self:
            connector = wizard._connector()
            private = wizard.reply_mode == "private"
            wizard.can_reply_privately = bool(connector and connector.can_reply_privately)
            wizard.private_only = bool(wizard.mention_id and self._is_private(wizard.mention_id))
            wizard.can_post = bool(connector and connector.reply_ready)
            wizard.body_limit = (connector.max_reply_length(private) or 0) if wizard.can_post else 0
            wizard.body_counting = (
                (connector.private_reply_counting if private else connector.reply_counting) if connector else False
            )
            prefix = ""
            if connector and wizard.mention_id:
                probe = connector.reply_text(wizard.mention_id._reply_target(), "x", private)
                prefix = probe[:-1] if probe != "x" and probe.endswith("x") else ""
            wizard.body_prefix = prefix
            if not connector:
                wizard.help_text = False
            elif not connector.can_reply:
                wizard.help_text = str(REPLY_ERRORS["no_write_api"]) % {"platform": connector.label}
            elif not connector.reply_ready:
                wizard.help_text = wizard._missing_credentials_text(connector)
            else:
                wizard.help_text = False

    @api.depends("body", "reply_mode", "mention_id")
    def _compute_body_length(self):
        for wizard in self:
            connector = wizard._connector()
            private = wizard.reply_mode == "private"
            text = (wizard.body or "").strip()
            if connector and text and wizard.mention_id:
                text = connector.reply_text(wizard.mention_id._reply_target(), text, private)
            wizard.body_length = connector.reply_length(text, private) if connector else len(text)

    @api.onchange("template_id")
    def _onchange_template_id(self):
        ticket = self.ticket_id._origin
        if self.template_id and ticket:
            html = self.template_id._origin._render_field("body_html", ticket.ids)[ticket.id]
            self.body = html2plaintext(html).strip()

    @api.onchange("mention_id")
    def _onchange_mention_id(self):
        if self.mention_id and self._is_private(self.mention_id._origin):
            self.reply_mode = "private"

    # ------------------------------------------------------------------ checks

    def _missing_credentials_text(self, connector):
        credential = self.env._("app password") if "password" in connector.reply_settings else self.env._("token")
        return str(REPLY_ERRORS["missing_credentials"]) % {"credential": credential, "platform": connector.label}

    def _reply_error_text(self, error, connector):
        if error.code == "missing_credentials":
            return self._missing_credentials_text(connector)
        params = {"platform": connector.label, **error.params}
        if error.code == "too_long":
            params["over"] = params["length"] - params["limit"]
        template = REPLY_ERRORS.get(error.code)
        return str(template) % params if template else str(error)

    def _check_can_answer(self):
        """Before anything is posted or logged: the user may change the ticket,
        and the post answered belongs to it and to its company."""
        self.ensure_one()
        ticket, mention = self.ticket_id, self.mention_id
        try:
            ticket.check_access("write")
        except AccessError as err:
            raise AccessError(
                self.env._(
                    "You cannot answer on ticket %(ticket)s: you may not change it.", ticket=ticket.sudo().number
                )
            ) from err
        if mention.ticket_id != ticket or mention.direction != "in":
            raise UserError(self.env._("This post is not part of the ticket's conversation."))
        if mention.company_id != ticket.company_id:
            raise UserError(self.env._("This post belongs to another company than the ticket."))
        return ticket, mention

    def _lock_ticket(self, ticket):
        """Hold the ticket's row until the end of the transaction, so that once
        the reply is out, recording it does not wait for, or fail on, a
        concurrent change of the ticket."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    "SELECT id FROM helpdesk_ticket WHERE id = %s FOR NO KEY UPDATE NOWAIT", [ticket.id]
                )
        except psycopg2.errors.LockNotAvailable as err:
            raise UserError(self.env._("Someone is changing this ticket right now: try again in a moment.")) from err

    # ----------------------------------------------------------------- actions

    def action_send(self):
        """Post the reply on the platform, then record it on the ticket."""
        self.ensure_one()
        ticket, mention = self._check_can_answer()
        private = self.reply_mode == "private" or self._is_private(mention)
        text = (self.body or "").strip()
        # no retry: a POST that timed out may have been posted
        connector = self._connector(http=HttpClient(max_retries=0))
        target = mention._reply_target()
        try:
            connector.check_reply(target, text, private)
        except ReplyError as err:
            raise UserError(self._reply_error_text(err, connector)) from err
        self._lock_ticket(ticket)
        self.env.flush_all()  # what would fail at commit fails now, before the post
        try:
            posted = connector.reply(target, text, private)
        except ReplyError as err:
            raise UserError(self._reply_error_text(err, connector)) from err
        except ConnectorError as err:
            _logger.warning("Reply to %s failed: %s", mention.url, err)
            raise UserError(self._platform_error_text(err, connector)) from err
        # The reply is out. From here on: as little as possible, each step on its own,
        # and nothing raises (an error would roll back the only trace of the post).
        self._record_posted(ticket, mention, posted, text, private, connector)
        return {"type": "ir.actions.act_window_close"}

    def _platform_error_text(self, error, connector):
        platform = connector.label
        if isinstance(error, AuthenticationError):
            return self.env._(
                "%(platform)s refused the reply: the account's credentials were not accepted. "
                "Ask an administrator to reconnect it in Social CRM > Accounts.",
                platform=platform,
            )
        if isinstance(error, RateLimitedError):
            minutes = max(1, round((error.retry_after or 900) / 60))
            return self.env._(
                "%(platform)s refused the reply for now: too many posts. Nothing was posted; "
                "try again in %(minutes)s minutes.",
                platform=platform,
                minutes=minutes,
            )
        if isinstance(error, TransientError):
            return self.env._(
                "%(platform)s could not be reached or did not answer. Check on the platform whether the reply "
                "went out before you try again.",
                platform=platform,
            )
        return self.env._("%(platform)s refused the reply: %(error)s", platform=platform, error=str(error))

    def _record_posted(self, ticket, mention, posted, text, private, connector):
        """Store our reply as an outgoing mention, log it, mark the ticket
        answered: each in a savepoint, errors logged, never raised."""
        what = (
            self.env._("Private message sent on %(platform)s", platform=connector.label)
            if private
            else self.env._("Replied on %(platform)s", platform=connector.label)
        )
        url = posted.url or ("" if private else mention.url)
        steps = (
            ("store", lambda: self._store_outgoing(ticket, mention, posted, url)),
            ("log", lambda: ticket._social_log_reply(text, url, what)),
            ("answered", ticket._social_mark_answered),
        )
        for name, step in steps:
            try:
                with self.env.cr.savepoint():
                    step()
            except Exception:  # the reply went out: record what can be, never raise
                _logger.exception(
                    "Reply %s posted on %s for ticket %s, but the %s step failed",
                    posted.external_id,
                    mention.platform,
                    ticket.id,
                    name,
                )

    def _store_outgoing(self, ticket, mention, posted, url):
        account = mention.account_id
        return (
            self.env["social.crm.mention"]
            .sudo()
            .create(
                {
                    "platform": mention.platform,
                    "external_id": posted.external_id,
                    "account_id": account.id,
                    "url": url,
                    "text": posted.text,
                    "posted_at": fields.Datetime.now(),
                    "author_handle": account.sudo().username or account.name,
                    "author_name": account.name,
                    "thread_ref": posted.thread_id or mention.thread_ref,
                    "parent_ref": mention.external_id,
                    "direction": "out",
                    "state": "routed",
                    "ticket_id": ticket.id,
                    "raw_payload": posted.raw,
                }
            )
        )

    def action_log_manual_reply(self):
        """For platforms without a write API: record the answer given on the platform."""
        self.ensure_one()
        ticket, mention = self._check_can_answer()
        text = (self.body or "").strip()
        if not text:
            raise UserError(self.env._("Paste the answer you gave on the platform."))
        what = self.env._("Answered on %(platform)s (logged by hand)", platform=mention._platform_label())
        ticket._social_log_reply(text, mention.url, what)
        ticket._social_mark_answered()
        return {"type": "ir.actions.act_window_close"}

    def action_open_platform(self):
        self.ensure_one()
        return {"type": "ir.actions.act_url", "url": self.mention_id.url, "target": "new"}
