"""How mentions read in lists, and the lists other records open."""

import textwrap

from odoo import api, fields, models
from odoo.tools.safe_eval import safe_eval

PREVIEW_LENGTH = 160  # characters of a mention shown in a list row; the form shows it all
TITLE_LENGTH = 200  # characters of the text in a lead's name when the mention has no title of its own


class SocialCrmMention(models.Model):
    _inherit = "social.crm.mention"

    text_preview = fields.Char("Text (preview)", compute="_compute_text_preview")

    @api.depends("title", "text")
    def _compute_text_preview(self):
        for mention in self:
            text = " ".join((mention.text or "").split())
            title = " ".join((mention.title or "").split())
            if title and not text.startswith(title):
                text = f"{title} — {text}" if text else title
            if len(text) > PREVIEW_LENGTH:
                text = text[: PREVIEW_LENGTH - 1].rsplit(" ", 1)[0] + " …"
            mention.text_preview = text

    def _social_lead_title(self):
        """The mention's title, or else the first line of its text: whole up to
        TITLE_LENGTH characters (a title, not the post)."""
        self.ensure_one()
        lines = [line for line in (self.text or "").splitlines() if line.strip()]
        text = " ".join(((self.title or "").strip() or (lines[0] if lines else "")).split())
        return textwrap.shorten(text, TITLE_LENGTH, placeholder=" …")

    @api.model
    def _action_for(self, field, record):
        """The mentions of ``record`` (through ``field``) as a search filter the
        user sees and that survives the browser's Back and a reload: the action
        reads the record from ``active_id``, which the URL keeps."""
        record.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(f"social_crm.social_crm_mention_action_{field}")
        context = safe_eval(action.get("context") or "{}", {"active_id": record.id, "uid": self.env.uid})
        action["context"] = dict(context, active_id=record.id, active_model=record._name)
        return action
