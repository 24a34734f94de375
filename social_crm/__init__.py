# Loaded by Odoo as ``odoo.addons.social_crm``: register models and routes.
# Imported as plain ``social_crm`` (command line, pytest without Odoo), only the
# pure-Python packages (connectors, text_analysis) are used, so nothing from
# Odoo is imported here.
if __name__.startswith("odoo.addons."):
    from . import controllers, models, wizards
