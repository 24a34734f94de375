import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from ..connectors import ConnectorError

_logger = logging.getLogger(__name__)


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
    mention_text = fields.Text(related="mention_id.text", string="Message")
    body = fields.Text("Your reply")
    can_post = fields.Boolean(compute="_compute_can_post")
    deep_link = fields.Char(related="mention_id.url", string="Open on the platform")
    help_text = fields.Char(compute="_compute_can_post")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        ticket = self.env["helpdesk.ticket"].browse(values.get("ticket_id"))
        if ticket and "mention_id" in fields_list:
            latest = ticket.social_mention_ids.filtered(lambda m: m.direction == "in").sorted("posted_at")[-1:]
            values["mention_id"] = (latest or ticket.social_mention_id).id
        return values

    @api.depends("mention_id")
    def _compute_can_post(self):
        for wizard in self:
            account = wizard.mention_id.account_id
            connector = account._get_connector() if account else None
            wizard.can_post = bool(connector and connector.reply_ready)
            if not connector:
                wizard.help_text = False
            elif not connector.can_reply:
                wizard.help_text = self.env._(
                    "%(platform)s offers no API to post replies: open the post, answer there, "
                    "then log your answer here.",
                    platform=connector.label,
                )
            elif not connector.reply_ready:
                wizard.help_text = self.env._(
                    "The account has no credentials that allow posting (%(needed)s). Answer on the platform, "
                    "or ask an administrator to add them.",
                    needed=", ".join(connector.reply_settings),
                )
            else:
                wizard.help_text = False

    def action_send(self):
        """Post the reply on the platform, then log it on the ticket."""
        self.ensure_one()
        if not (self.body or "").strip():
            raise UserError(self.env._("Write a reply first."))
        connector = self.mention_id.account_id._get_connector()
        try:
            posted = connector.reply(self.mention_id._reply_target(), self.body.strip())
        except ConnectorError as err:
            _logger.warning("Reply to %s failed: %s", self.mention_id.url, err)
            raise UserError(self.env._("The platform refused the reply: %(error)s", error=str(err))) from err
        outgoing = (
            self.env["social.crm.mention"]
            .sudo()
            .create(
                {
                    "platform": self.mention_id.platform,
                    "external_id": posted.external_id,
                    "account_id": self.mention_id.account_id.id,
                    "url": posted.url or self.mention_id.url,
                    "text": posted.text,
                    "posted_at": fields.Datetime.now(),
                    "author_handle": self.mention_id.account_id.username or self.mention_id.account_id.name,
                    "author_name": self.mention_id.account_id.name,
                    "thread_ref": posted.thread_id or self.mention_id.thread_ref,
                    "parent_ref": self.mention_id.external_id,
                    "direction": "out",
                    "state": "routed",
                    "ticket_id": self.ticket_id.id,
                    "raw_payload": posted.raw,
                }
            )
        )
        self._log(outgoing.url, posted=True)
        return {"type": "ir.actions.act_window_close"}

    def action_log_manual_reply(self):
        """For platforms without a write API: record the answer given on the platform."""
        self.ensure_one()
        if not (self.body or "").strip():
            raise UserError(self.env._("Paste the answer you gave on the platform."))
        self._log(self.mention_id.url, posted=False)
        return {"type": "ir.actions.act_window_close"}

    def action_open_platform(self):
        self.ensure_one()
        return {"type": "ir.actions.act_url", "url": self.mention_id.url, "target": "new"}

    def _log(self, url, posted):
        platform = self.mention_id._platform_label()
        what = (
            self.env._("Replied on %s", platform) if posted else self.env._("Answered on %s (logged by hand)", platform)
        )
        link = (
            Markup(' (<a href="%s" target="_blank" rel="noopener">%s</a>)') % (url, self.env._("open")) if url else ""
        )
        self.ticket_id.message_post(
            # the answer as a paragraph, not a <blockquote> (the chatter folds quotes away)
            body=Markup("<p><b>%s</b>%s</p>%s") % (what, link, plaintext2html(self.body.strip())),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.ticket_id._social_mark_answered()
