from odoo import api, fields, models
from odoo.exceptions import UserError

from ..connectors.oauth import TokenSet


class SocialCrmOAuthPage(models.TransientModel):
    """After Facebook Login: the administrator picks the Page (or its
    Instagram professional account) the social account listens to."""

    _name = "social.crm.oauth.page"
    _description = "Pick the Facebook Page"

    account_id = fields.Many2one("social.crm.account", required=True, ondelete="cascade")
    platform = fields.Selection(related="account_id.platform")
    line_ids = fields.One2many("social.crm.oauth.page.line", "wizard_id")
    line_id = fields.Many2one(
        "social.crm.oauth.page.line",
        "Page",
        domain="[('wizard_id', '=', id), ('eligible', '=', True)]",
    )
    eligible_count = fields.Integer(compute="_compute_eligible_count")

    @api.depends("account_id")
    def _compute_display_name(self):
        for wizard in self:
            wizard.display_name = self.env._("Pick the Page")

    @api.depends("line_ids.eligible")
    def _compute_eligible_count(self):
        for wizard in self:
            wizard.eligible_count = len(wizard.line_ids.filtered("eligible"))

    @api.model
    def _open_for(self, account, pages):
        """The picker for ``pages`` (``PageChoice`` list), as an action."""
        instagram = account.platform == "instagram"
        lines = [
            (
                0,
                0,
                {
                    "name": page.name,
                    "page_id": page.page_id,
                    "instagram_id": page.instagram_id or False,
                    "instagram_username": page.instagram_username or False,
                    "page_token": page.access_token,
                    "eligible": bool(page.instagram_id) if instagram else True,
                },
            )
            for page in pages
        ]
        wizard = self.create({"account_id": account.id, "line_ids": lines})
        eligible = wizard.line_ids.filtered("eligible")
        if len(eligible) == 1:
            wizard.line_id = eligible
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Pick the Page"),
            "res_model": self._name,
            "res_id": wizard.id,
            "views": [(False, "form")],
            "target": "current",
        }

    def action_apply(self):
        """Store the picked Page's token (Page tokens do not expire) and ids."""
        self.ensure_one()
        line = self.line_id
        if not line or line.wizard_id != self or not line.eligible:
            raise UserError(self.env._("Pick one of the Pages listed."))
        account = self.account_id
        if account.platform == "instagram":
            ref, name = line.instagram_id, f"@{line.instagram_username}" if line.instagram_username else line.name
        else:
            ref, name = line.page_id, line.name
        account._oauth_store(
            TokenSet(access_token=line.sudo().page_token, subject=ref, name=name), values={"account_ref": ref}
        )
        self.line_ids.sudo().write({"page_token": False})
        return account._oauth_form_action()


class SocialCrmOAuthPageLine(models.TransientModel):
    _name = "social.crm.oauth.page.line"
    _description = "Facebook Page to pick"

    wizard_id = fields.Many2one("social.crm.oauth.page", required=True, ondelete="cascade")
    name = fields.Char(required=True)
    page_id = fields.Char("Page id", required=True)
    instagram_id = fields.Char("Instagram account id")
    instagram_username = fields.Char("Instagram account")
    page_token = fields.Char(groups="base.group_system")
    eligible = fields.Boolean(help="Instagram accounts need a Page linked to an Instagram professional account.")

    @api.depends("name", "instagram_username")
    def _compute_display_name(self):
        for line in self:
            line.display_name = (
                f"{line.name} (Instagram @{line.instagram_username})" if line.instagram_username else line.name
            )
