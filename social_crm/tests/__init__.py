# Odoo runs the test_* modules of this package; plain pytest only uses the
# pure helpers (replay.py), so nothing Odoo-bound is imported then.
if __name__.startswith("odoo.addons."):
    from . import test_install, test_ingestion, test_security, test_understanding, test_advocacy, test_webhook
    from . import test_engage, test_engage_tour
