# Odoo runs the test_* modules of this package; plain pytest only uses the
# pure helpers (replay.py), so nothing Odoo-bound is imported then.
if __name__.startswith("odoo.addons."):
    from . import test_install, test_ingestion, test_security, test_understanding, test_advocacy, test_webhook
    from . import test_oauth, test_oauth_controller, test_oauth_concurrency
    from . import test_accounts_streams, test_settings_lists, test_leads_contacts
    from . import test_identity_review, test_advocacy_polish, test_reports, test_overview
    from . import test_connector_threads
    from . import test_security_hostile, test_security_rights, test_security_processing, test_security_webhook
    from . import test_analysis_review
    from . import test_engage, test_engage_tour
    from . import test_hygiene, test_extension, test_translation
    from . import test_routing_addressed
