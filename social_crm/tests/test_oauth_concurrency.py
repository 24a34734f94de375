"""Two cron workers refresh the same account at the same time.

Real PostgreSQL transactions (not the test's savepoints): each worker runs in a
thread with its own cursor, the way two cron workers do. X rotates refresh
tokens, and the token endpoint below behaves like it: a refresh token works
once, then ``invalid_request`` (the documented answer shape of
``oauth_payloads``; no recording of a token exchange exists). Without the lock
the second worker would spend the used refresh token and lose the connection.
"""

import datetime
import json
import threading
import time
from urllib.parse import parse_qs

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged

from odoo.addons.social_crm.connectors.oauth import TokenSet

from . import oauth_payloads as payloads
from .common import ReplayMixin

X_TOKEN = "https://api.x.com/2/oauth2/token"
WAIT = 20  # seconds: bound of every wait below


@tagged("post_install", "-at_install")
class TestConcurrentRefresh(ReplayMixin, BaseCase):
    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env.company.write({"social_crm_x_client_id": "x-id", "social_crm_x_client_secret": "x-app-secret"})
            account = env["social.crm.account"].create({"name": "X concurrent refresh", "platform": "x"})
            account._oauth_store(
                TokenSet(
                    access_token="x-access-0",
                    refresh_token="x-refresh-0",
                    expires_at=datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=1),
                )
            )
            self.account_id = account.id
        self.addCleanup(self._drop_account)

    def _drop_account(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["social.crm.account"].browse(self.account_id).unlink()
            env.company.write({"social_crm_x_client_id": False, "social_crm_x_client_secret": False})

    def _waiting_for_lock(self):
        """True when a backend waits for an advisory lock (the second worker)."""
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND wait_event = 'advisory'"
            )
            return cr.fetchone()[0] > 0

    def test_two_workers_refresh_once_and_keep_the_new_refresh_token(self):
        used = set()
        issued = []
        first_inside = threading.Event()
        release_first = threading.Event()

        def token_endpoint(request):
            refresh = parse_qs(request.body)["refresh_token"][0]
            if refresh in used:
                return 400, {}, json.dumps(payloads.X_INVALID_REFRESH)
            used.add(refresh)
            n = len(issued) + 1
            issued.append(n)
            first_inside.set()
            release_first.wait(WAIT)  # hold the first refresh until the second worker waits for the lock
            return 200, {}, json.dumps(payloads.x_token(f"x-access-{n}", f"x-refresh-{n}"))

        results, errors = {}, {}

        def worker(name):
            try:
                with self.registry.cursor() as cr:
                    # a worker thread: the test runner holds the registry lock, so no lookup by name
                    cr.transaction = api.Transaction(self.registry)
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    account = env["social.crm.account"].browse(self.account_id)
                    # what a pull does with a token that has expired: refresh the one it saw
                    results[name] = account._oauth_refresh("x-access-0").access_token
            except Exception as err:  # reported by the assertions below
                errors[name] = err

        try:
            with self.replaying() as mock:
                mock.add_callback("POST", X_TOKEN, callback=token_endpoint)
                first = threading.Thread(target=worker, args=("first",))
                first.start()
                self.assertTrue(first_inside.wait(WAIT), f"the first worker never reached the token endpoint: {errors}")
                second = threading.Thread(target=worker, args=("second",))
                second.start()
                deadline = time.monotonic() + WAIT
                while not self._waiting_for_lock() and time.monotonic() < deadline:
                    time.sleep(0.05)
                self.assertTrue(self._waiting_for_lock(), "the second worker did not wait for the first one")
                release_first.set()
                first.join(WAIT)
                second.join(WAIT)
                token_calls = len(mock.calls)
        finally:
            release_first.set()
        self.assertFalse(errors, errors)
        self.assertEqual(token_calls, 1, "the second worker refreshed again")
        self.assertEqual(results, {"first": "x-access-1", "second": "x-access-1"})
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT status, access_token, refresh_token FROM social_crm_account_token WHERE account_id = %s",
                (self.account_id,),
            )
            self.assertEqual(cr.fetchone(), ("connected", "x-access-1", "x-refresh-1"))
            cr.execute("SELECT state FROM social_crm_account WHERE id = %s", (self.account_id,))
            self.assertEqual(cr.fetchone()[0], "new")
