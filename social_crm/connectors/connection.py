"""What a connector can do with its credentials: the result of *Test connection*.

:meth:`BaseConnector.test_connection() <.base.BaseConnector.test_connection>`
makes at most one cheap call and returns a :class:`ConnectionReport`: whether
listening (``read``) and replying (``post``) work, who the credentials belong
to, and :class:`Finding` items for what is missing. A finding carries a code
and the name it concerns, never a sentence: the Odoo side turns codes into
translated sentences, the command line prints them as they are.

``read`` and ``post`` are ``True`` (works), ``False`` (does not work) or
``None`` (cannot be told from one call, e.g. an X read that needs a paid tier).
"""

import dataclasses

READ = "read"
POST = "post"

# Finding codes. ``name`` is the setting, scope, permission or tier concerned.
SETTING = "setting"  # a setting of the account is empty
SCOPE = "scope"  # the token lacks an OAuth scope
PERMISSION = "permission"  # the token lacks a platform permission (Meta, Google)
TIER = "tier"  # the platform sells this access: a paid tier is needed
USER_TOKEN = "user_token"  # an application-only token cannot do this: a user's token is needed
NO_WRITE_API = "no_write_api"  # the platform has no write API this addon supports
NOT_CHECKED = "not_checked"  # one call cannot tell (name: the scope or permission to check by hand)
NOT_FOUND = "not_found"  # the platform knows no such account (name: the setting holding the id)
REFUSED = "refused"  # the platform refused the credentials
RATE_LIMITED = "rate_limited"  # the platform asked to wait (the credentials may be fine)
UNREACHABLE = "unreachable"  # network failure or platform outage
FAILED = "failed"  # any other error answer
FINDING_CODES = (
    SETTING,
    SCOPE,
    PERMISSION,
    TIER,
    USER_TOKEN,
    NO_WRITE_API,
    NOT_CHECKED,
    NOT_FOUND,
    REFUSED,
    RATE_LIMITED,
    UNREACHABLE,
    FAILED,
)


@dataclasses.dataclass(frozen=True)
class Finding:
    """One thing that is missing or could not be checked."""

    code: str
    capability: str = ""  # READ, POST, or "" for both
    name: str = ""

    def to_dict(self):
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class ConnectionReport:
    """The answer of :meth:`BaseConnector.test_connection`."""

    platform: str
    read: bool | None
    post: bool | None
    identity: str = ""  # who the credentials belong to (handle, Page name...), if the platform says
    account_ref: str = ""  # the platform's id of that account, when the call gives it
    findings: tuple = ()
    calls: int = 0  # HTTP requests made
    detail: str = ""  # technical detail of a failed call, for logs and administrators

    @property
    def ok(self):
        """Listening works (or cannot fail for lack of credentials)."""
        return self.read is not False and not any(f.code in (REFUSED, UNREACHABLE, FAILED) for f in self.findings)

    def to_dict(self):
        data = dataclasses.asdict(self)
        data["ok"] = self.ok
        return data


def report(platform, read, post, identity="", findings=(), detail="", account_ref=""):
    """A :class:`ConnectionReport` without empty findings."""
    return ConnectionReport(
        platform=platform,
        read=read,
        post=post,
        identity=identity or "",
        account_ref=str(account_ref or ""),
        findings=tuple(f for f in findings if f),
        detail=detail,
    )
