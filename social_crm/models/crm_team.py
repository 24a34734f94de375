from odoo import models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    def _social_crm_salespeople(self, count):
        """Who takes ``count`` new social leads of this team, by the team's own
        assignment settings: its members who take leads (not opted out of the
        assignment), the one with the fewest open leads in the team first, in
        turns; the team leader when no member takes leads."""
        self.ensure_one()
        members = self.crm_team_member_ids.filtered(lambda m: not m.assignment_optout and m.user_id.active)
        users = members.user_id
        if not users:
            return [self.user_id] * count
        load = dict(
            self.env["crm.lead"]
            .sudo()
            ._read_group(
                [("team_id", "=", self.id), ("user_id", "in", users.ids), ("probability", "<", 100)],
                ["user_id"],
                ["__count"],
            )
        )
        picks = []
        for _lead in range(count):
            user = min(users, key=lambda u: (load.get(u, 0), u.id))
            load[user] = load.get(user, 0) + 1
            picks.append(user)
        return picks
