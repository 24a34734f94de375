"""What the user reads about connectors: translated sentences that say what to do.

Connectors speak in exception types, codes and findings (``connectors/``
never imports Odoo); this module turns them into sentences in the user's
language. The technical text of an error goes to the log and to a field only
administrators see, never into these sentences.
"""

from ..connectors import (
    AuthenticationError,
    ConfigurationError,
    PayloadError,
    RateLimitedError,
    TransientError,
    connection,
)


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
        code = getattr(error, "code", "")
        params = getattr(error, "params", {})
        if code == "missing_settings":
            return env._(
                "This account needs “%(settings)s” to be read: fill it in on the Credentials tab.",
                settings=", ".join(setting_label(env, name) for name in params.get("settings") or ()),
            )
        if code == "mode":
            return env._(
                "A stream listens in a way %(platform)s does not offer: open the stream and choose another mode.",
                platform=platform,
            )
        if code == "needs_terms":
            return env._("A search stream has no keyword, hashtag or handle: add at least one to the stream.")
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
