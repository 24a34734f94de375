"""What the user reads about connectors: translated sentences that say what to do.

Connectors speak in exception types, codes and findings (``connectors/``
never imports Odoo); this module turns them into sentences in the user's
language. The technical text of an error goes to the log and to a field only
administrators see, never into these sentences.
"""

import logging

from odoo import _lt

from ..connectors import (
    AuthenticationError,
    ConfigurationError,
    PayloadError,
    RateLimitedError,
    TransientError,
    connection,
)

_logger = logging.getLogger(__name__)


def setting_label(env, name):
    """The label of an account field as the user sees it on the form."""
    field = env["social.crm.account"]._fields.get(name)
    return field._description_string(env) if field else name


def _purpose(env, capability):
    return env._("reply") if capability == connection.POST else env._("listen")


def finding_sentence(env, finding, platform):
    """One sentence for a :class:`~..connectors.connection.Finding`."""
    code, name = finding.code, finding.name
    if code == connection.SETTING:
        label = setting_label(env, name)
        if finding.capability == connection.POST:
            return env._("Fill in “%(setting)s” to reply from Odoo.", setting=label)
        if finding.capability == connection.READ:
            return env._(
                "“%(setting)s” is empty: streams that need it (such as mentions of the account) cannot be read.",
                setting=label,
            )
        return env._("Fill in “%(setting)s”: nothing can be read without it.", setting=label)
    if code == connection.SCOPE:
        return env._(
            "The token lacks the “%(scope)s” scope, needed to %(purpose)s: create a token with it and paste it here.",
            scope=name,
            purpose=_purpose(env, finding.capability),
        )
    if code == connection.PERMISSION:
        return env._(
            "The token lacks the “%(permission)s” permission, needed to %(purpose)s: grant it to your app, "
            "then create a new token.",
            permission=name,
            purpose=_purpose(env, finding.capability),
        )
    if code == connection.TIER:
        return env._(
            "%(platform)s sells read access (%(tier)s): pulls work only with a paid plan. Reading was not tried, "
            "as every read costs.",
            platform=platform,
            tier=name,
        )
    if code == connection.USER_TOKEN:
        if finding.capability == connection.READ:
            return env._("This is an application token: mentions of the account need a token of that account.")
        return env._("This is an application token: replying needs a token of the account you answer as.")
    if code == connection.NO_WRITE_API:
        return env._(
            "%(platform)s has no API to post replies from Odoo: answer on the platform itself "
            "(the reply wizard opens the post).",
            platform=platform,
        )
    if code == connection.NOT_CHECKED:
        return env._(
            "One call cannot tell whether the token has “%(what)s”, needed to %(purpose)s: check it where the "
            "token was created.",
            what=name,
            purpose=_purpose(env, finding.capability),
        )
    if code == connection.NOT_FOUND:
        return env._(
            "%(platform)s knows no account with this “%(setting)s”: check it.",
            platform=platform,
            setting=setting_label(env, name),
        )
    if code == connection.REFUSED:
        return env._(
            "%(platform)s refused the credentials: check them (or create new ones), then test again.",
            platform=platform,
        )
    if code == connection.RATE_LIMITED:
        return env._("%(platform)s asked us to wait: test again in a few minutes.", platform=platform)
    if code == connection.UNREACHABLE:
        return env._(
            "%(platform)s could not be reached: check the server URL and the network, then test again.",
            platform=platform,
        )
    return env._(
        "%(platform)s answered with an error: an administrator can read the technical details.",
        platform=platform,
    )


def capability_sentence(env, read, post):
    """What works, in one line."""
    reading = {
        True: env._("Listening works."),
        False: env._("Listening does not work."),
        None: env._("Listening could not be checked."),
    }[read]
    posting = {
        True: env._("Replying works."),
        False: env._("Replying does not work."),
        None: env._("Replying could not be checked."),
    }[post]
    return f"{reading} {posting}"


def report_sentences(env, report, platform):
    """The lines of a connection report, the summary first."""
    lines = [capability_sentence(env, report.read, report.post)]
    if report.identity:
        lines.append(env._("Connected as %(identity)s.", identity=report.identity))
    lines += [finding_sentence(env, finding, platform) for finding in report.findings]
    return lines


# what the connectors' error codes mean (connectors/exceptions.py), as sms/tools/sms_api.py does
TARGETS = {
    "post": _lt("post id"),
    "media": _lt("media id"),
    "subreddit": _lt("subreddit name"),
    "feed_url": _lt("feed URL (http:// or https://)"),
    "video_or_channel": _lt("video id, or the account's channel id"),
}
CONNECTOR_ERRORS = {
    "missing_settings": _lt("This account needs “%(settings)s” to be read: fill it in on the Credentials tab."),
    "mode": _lt("A stream listens in a way %(platform)s does not offer: open the stream and choose another mode."),
    "needs_terms": _lt("A search stream has no keyword, hashtag or handle: add at least one to the stream."),
    "needs_hashtags": _lt("A %(platform)s hashtag stream needs at least one hashtag."),
    "needs_target": _lt("The %(platform)s stream needs its %(target)s."),
    "query_too_long": _lt(
        "The search is %(length)s characters long and %(platform)s accepts %(limit)s: use fewer or shorter keywords."
    ),
    "blocked_address": _lt(
        "%(host)s is not a public address (loopback, private or link-local): a system administrator can allow it "
        "in the system parameter social_crm.allowed_hosts."
    ),
    "unknown_platform": _lt("No connector is installed for the platform “%(platform)s”."),
    "no_webhooks": _lt("%(platform)s does not push webhooks: it is polled."),
    "no_client_id": _lt("The client id of the %(platform)s developer app is missing: enter it in the settings."),
    "no_authorization_code": _lt("%(platform)s returned no authorization code: connect the account again."),
    "no_refresh_token": _lt("No refresh token is stored for %(platform)s: connect the account again."),
    "sign_in_refused": _lt("%(platform)s refused the sign-in: connect the account again."),
    "no_access_token": _lt(
        "%(platform)s returned no access token: connect the account again. "
        "An administrator can read the technical details in the server log."
    ),
    "app_not_registered": _lt("%(instance)s did not register the app: check the instance address and try again."),
    "no_session": _lt("Bluesky did not open a session: check the handle and the app password."),
    "no_sign_in_flow": _lt("%(platform)s has no sign-in flow: enter its credentials by hand."),
    "instance_url": _lt("“%(value)s” is not an https instance address like https://mastodon.social."),
}


def error_text(env, error, platform):
    """The sentence of a connector error's code, in the language of ``env``
    (None when the error has no code this module knows)."""
    code = getattr(error, "code", "") or ""
    text = CONNECTOR_ERRORS.get(code)
    if text is None:
        return None
    params = dict(getattr(error, "params", None) or {})
    values = {"platform": platform, **params}
    if code == "missing_settings":
        values["settings"] = ", ".join(setting_label(env, name) for name in params.get("settings") or ())
    if code == "needs_target":
        target = TARGETS.get(params.get("target"))
        values["target"] = _tr(env, target) if target else params.get("target", "")
    try:
        return _tr(env, text, **values)
    except (KeyError, TypeError, ValueError):
        return None


def connector_error_text(env, error, platform):
    """What a connector error says to the user: its code's sentence, else its (English) message."""
    return error_text(env, error, platform) or str(error)


def error_sentence(env, error, platform):
    """What a pull failure means for the user, and what to do about it."""
    if isinstance(error, AuthenticationError):
        return env._(
            "%(platform)s refused the credentials of this account. Fix them on the Credentials tab "
            "(Test connection tells what is missing); pulls are retried less and less often until then.",
            platform=platform,
        )
    if isinstance(error, RateLimitedError):
        return env._(
            "%(platform)s asked us to slow down. Nothing to do: the next pull waits as long as the platform asks.",
            platform=platform,
        )
    if isinstance(error, TransientError):
        return env._(
            "%(platform)s could not be reached (network trouble or an outage on its side). Nothing to do: "
            "the account is tried again later, less often each time.",
            platform=platform,
        )
    if isinstance(error, PayloadError):
        return env._(
            "%(platform)s answered something that could not be read. Check the streams' targets (feed URL, ids); "
            "if it keeps happening, an administrator can read the technical details.",
            platform=platform,
        )
    if isinstance(error, ConfigurationError):
        known = error_text(env, error, platform)
        if known:
            return known
        return env._(
            "A stream or the account is not set up completely: check the streams' targets and the account's "
            "settings, then pull again. An administrator can read the technical details.",
        )
    status = getattr(error, "status", None)
    if status:
        return env._(
            "%(platform)s refused a request (HTTP %(status)s): check the streams' keywords and targets and the "
            "account ID, then pull again.",
            platform=platform,
            status=status,
        )
    return env._(
        "The pull failed on an unexpected error. An administrator can read the technical details below and in "
        "the server log.",
    )


# ----------------------------------------------------------- priority reasons
# scoring.priority explains a priority with components ({code, params}); the
# ticket stores them and shows them in the reader's language. The English
# texts are those of scoring.priority.reason_text.

CRITICAL_KINDS = {"outage": _lt("outage"), "safety": _lt("safety issue"), "legal": _lt("legal threat")}
INTENT_WORDS = {
    "complaint": _lt("complaint"),
    "question": _lt("question"),
    "purchase_intent": _lt("purchase intent"),
    "praise": _lt("praise"),
    "other": _lt("other"),
}
INTENTS_WORDS = {
    "complaint": _lt("complaints"),
    "question": _lt("questions"),
    "purchase_intent": _lt("purchase intents"),
    "praise": _lt("praises"),
    "other": _lt("others"),
}
REASONS = {
    "critical": _lt("%(kind)s: %(words)s (Very High)"),
    "not_scored": _lt("sentiment not scored"),
    "positive_on_complaint": _lt("positive score %(compound)s on a complaint"),
    "expected_average": _lt("%(why)s, counted as %(expected)s (average of scored %(intents)s) (+%(points)s)"),
    "expected_prior": _lt("%(why)s, counted as %(expected)s (usual for %(intents)s) (+%(points)s)"),
    "sentiment": _lt("negative sentiment %(compound)s (+%(points)s)"),
    "sentiment_drivers": _lt("negative sentiment %(compound)s (+%(points)s): %(drivers)s"),
    "intent": _lt("%(intent)s (+%(points)s)"),
    "influence": _lt("author influence %(influence)s/100 (+%(points)s)"),
    "urgency": _lt("urgency: %(words)s (+%(points)s)"),
    "customer": _lt("customer value %(value)s (+%(points)s)"),
    "raised_by_later_post": _lt("Raised by a later post of the conversation:"),
    "no_signal": _lt("No urgency signal"),
}


def _tr(env, text, **params):
    """``text`` (an ``_lt``) in the language of ``env``, with ``params``."""
    translated = text._translate(env.lang or "en_US")
    return translated % params if params else translated


def stored_reasons(breakdown):
    """What a ticket stores of a priority ``breakdown`` (never empty)."""
    return breakdown["explained"] or [{"code": "no_signal", "params": {}}]


def _intent(env, intent, plural=False):
    words = (INTENTS_WORDS if plural else INTENT_WORDS).get(intent)
    if words:
        return _tr(env, words)
    return intent.replace("_", " ") + ("s" if plural else "")


def _amount(env, value):
    lang = env["res.lang"]._lang_get(env.lang or "en_US")
    return lang.format("%.0f", value, grouping=True) if lang else f"{value:,.0f}"


def reason_sentence(env, reason):
    """One reason of a priority, in the language of ``env``."""
    code, params = reason.get("code"), reason.get("params") or {}
    try:
        if code == "critical":
            quoted = ", ".join(f"'{word}'" for word in params["words"])
            kind = CRITICAL_KINDS.get(params["kind"])
            return _tr(env, REASONS["critical"], kind=_tr(env, kind) if kind else params["kind"], words=quoted)
        if code == "sentiment_expected":
            if params["why"] == "not_scored":
                why = _tr(env, REASONS["not_scored"])
            else:
                why = _tr(env, REASONS["positive_on_complaint"], compound=f"{params['compound']:+.2f}")
            text = REASONS["expected_average" if params["source"] == "average" else "expected_prior"]
            return _tr(
                env,
                text,
                why=why,
                expected=f"{params['expected']:+.2f}",
                intents=_intent(env, params["intent"], plural=True),
                points=params["points"],
            )
        if code == "sentiment":
            values = {"compound": f"{params['compound']:+.2f}", "points": params["points"]}
            if params.get("drivers"):
                return _tr(env, REASONS["sentiment_drivers"], drivers=params["drivers"], **values)
            return _tr(env, REASONS["sentiment"], **values)
        if code == "intent":
            return _tr(env, REASONS["intent"], intent=_intent(env, params["intent"]), points=params["points"])
        if code == "influence":
            return _tr(env, REASONS["influence"], influence=params["influence"], points=params["points"])
        if code == "urgency":
            return _tr(env, REASONS["urgency"], words=", ".join(params["words"]), points=params["points"])
        if code == "customer":
            return _tr(env, REASONS["customer"], value=_amount(env, params["value"]), points=params["points"])
        if code in ("raised_by_later_post", "no_signal"):
            return _tr(env, REASONS[code])
    except (KeyError, TypeError, ValueError) as error:
        # a component of another version: its English text, if it has one
        _logger.debug("priority reason %r of another version (%s)", code, error)
    return str(params.get("text") or code or "")


def priority_explanation(env, reasons):
    """The stored reasons of a ticket's priority, one per line, in the language of ``env``."""
    return "\n".join(reason_sentence(env, reason) for reason in reasons or ())
