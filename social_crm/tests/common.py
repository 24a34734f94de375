import contextlib
import ipaddress
from urllib.parse import urlparse

import responses

from odoo.tests import common

from . import replay, standin


class ReplayMixin:
    """HTTP replayed from recordings, for any Odoo test case.

    Odoo blocks outgoing HTTP in tests; inside ``self.replaying()`` requests go
    through ``requests`` to a ``responses`` mock that serves recorded bodies,
    except the addresses of ``_replay_passthru()`` (an HttpCase's own server and
    browser)."""

    _replay_active = False

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        if cls._replay_active and urlparse(r.url).scheme in ("http", "https"):
            return common._super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    def _replay_passthru(self):
        return ()

    @contextlib.contextmanager
    def replaying(self):
        mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        for prefix in self._replay_passthru():
            mock.add_passthru(prefix)
        type(self)._replay_active = True
        try:
            with mock:
                yield mock
        finally:
            type(self)._replay_active = False


class SocialCrmCase(ReplayMixin, common.TransactionCase):
    """Accounts and streams on every platform, HTTP replayed from recordings
    (:class:`ReplayMixin`), and a stand-in server on 127.0.0.1 (``serving``)."""

    _serving = False

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        if cls._serving and cls._not_public(urlparse(r.url).hostname):
            # the stand-in server, or an address the connectors' guard must refuse itself
            return common._super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    @staticmethod
    def _not_public(host):
        try:
            return not ipaddress.ip_address(host).is_global
        except ValueError:
            return False

    @contextlib.contextmanager
    def serving(self, routes, allow=True):
        """A stand-in HTTP server on 127.0.0.1 (see standin.py) for the block;
        with ``allow``, the connectors may reach it (system parameter)."""
        if allow:
            self.env["ir.config_parameter"].sudo().set_param("social_crm.allowed_hosts", "127.0.0.1")
        type(self)._serving = True
        try:
            with standin.serving(routes) as server:
                yield server
        finally:
            type(self)._serving = False

    def add(self, mock, method, url, fixture, **kwargs):
        replay.add(mock, method, url, fixture, **kwargs)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # demo accounts must not take part in the cron runs of these tests
        cls.env["social.crm.account"].search([]).write({"active": False})
        cls.Account = cls.env["social.crm.account"]
        cls.Stream = cls.env["social.crm.stream"]
        cls.Mention = cls.env["social.crm.mention"]
        cls.x_account = cls.Account.create(
            {"name": "X brand", "platform": "x", "access_token": "x-token", "account_ref": "783214"}
        )
        cls.x_stream = cls.Stream.create(
            {"name": "Tweepy", "account_id": cls.x_account.id, "mode": "search", "keywords": "Tweepy"}
        )
        cls.yt_account = cls.Account.create({"name": "YouTube", "platform": "youtube", "api_key": "yt-key"})
        cls.yt_stream = cls.Stream.create(
            {"name": "Launch video", "account_id": cls.yt_account.id, "mode": "comments", "target": "F1UP7wRCPH8"}
        )
        cls.hn_account = cls.Account.create({"name": "Hacker News", "platform": "hackernews", "active": False})
        cls.hn_stream = cls.Stream.create(
            {"name": "Hiring", "account_id": cls.hn_account.id, "mode": "search", "keywords": "hiring"}
        )

    def pull(self):
        self.Account._cron_pull_mentions()
        self.env.invalidate_all()
