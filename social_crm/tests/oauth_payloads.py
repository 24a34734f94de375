"""Token-endpoint answers shaped as in each platform's documentation.

No recorded token exchange exists in the shared fixtures: recorders strip
them, as they carry credentials. So these follow the documented shapes (the
page is named above each one), with made-up token values. The API calls made
around a sign-in replay recordings where one exists (X ``users/me``, YouTube
``channels``, Mastodon accounts and its 401, Reddit's 401, Bluesky's 401
``createSession``). Used by the pytest and the Odoo tests.
"""

import base64
import json

# the company's developer apps (made-up ids and secrets) of the Odoo tests
DEVELOPER_APPS = {
    "social_crm_reddit_client_id": "reddit-id",
    "social_crm_reddit_client_secret": "reddit-app-secret",
    "social_crm_x_client_id": "x-id",
    "social_crm_x_client_secret": "x-app-secret",
    "social_crm_google_client_id": "google-id",
    "social_crm_google_client_secret": "google-app-secret",
    "social_crm_meta_app_id": "meta-id",
    "social_crm_meta_app_secret": "meta-app-secret",
}


def jwt(exp, jti="1", sub="did:plc:ewvi7nxzyoun6zhxrhs64oiz"):
    """An unsigned JWT with an ``exp`` claim: what matters to the client is when it expires."""

    def part(value):
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'typ': 'at+jwt', 'alg': 'ES256K'})}.{part({'sub': sub, 'exp': exp, 'jti': jti})}.c2ln"


# RFC 6749 section 5.1, as documented in the Reddit OAuth2 wiki
# (https://github.com/reddit-archive/reddit/wiki/OAuth2, "Retrieving the access token")
def reddit_token(access="reddit-access-1", refresh="reddit-refresh-1"):
    payload = {"access_token": access, "token_type": "bearer", "expires_in": 3600, "scope": "identity read"}
    if refresh:
        payload["refresh_token"] = refresh
    return payload


# Reddit answers a refused refresh with HTTP 200 and an "error" member (prawcore's
# auth.py checks for it); same wiki page, "Refreshing the token"
REDDIT_INVALID_GRANT = {"error": "invalid_grant"}
# GET https://oauth.reddit.com/api/v1/me (https://www.reddit.com/dev/api#GET_api_v1_me): the account
REDDIT_ME = {"id": "1w72", "name": "acme_support"}


# https://docs.x.com/fundamentals/authentication/oauth-2-0/user-access-token (step 3 and refresh)
def x_token(access="x-access-1", refresh="x-refresh-1"):
    return {
        "token_type": "bearer",
        "expires_in": 7200,
        "access_token": access,
        "scope": "tweet.read users.read tweet.write offline.access",
        "refresh_token": refresh,
    }


# X refuses a refresh token that was already used (X rotates them) with HTTP 400
X_INVALID_REFRESH = {"error": "invalid_request", "error_description": "Value passed for the token was invalid."}


# https://developers.google.com/identity/protocols/oauth2/web-server ("Step 5: Exchange authorization
# code for refresh and access tokens"; a refresh answer has no refresh_token)
def google_token(access="ya29.google-access-1", refresh="1//google-refresh-1"):
    payload = {
        "access_token": access,
        "expires_in": 3599,
        "scope": "https://www.googleapis.com/auth/youtube.force-ssl",
        "token_type": "Bearer",
    }
    if refresh:
        payload["refresh_token"] = refresh
    return payload


# same page, "Refresh token expiration": a revoked or expired refresh token
GOOGLE_INVALID_GRANT = {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}

# https://docs.joinmastodon.org/methods/apps/#create (the Application entity with its credentials)
MASTODON_APP = {
    "id": "563419",
    "name": "Odoo Social CRM",
    "website": None,
    "scopes": ["read", "write:statuses"],
    "redirect_uri": "https://odoo.example.com/social_crm/oauth/mastodon/callback",
    "redirect_uris": ["https://odoo.example.com/social_crm/oauth/mastodon/callback"],
    "client_id": "TWhM-tNSuncnqN7DBJmoyeLnk6K3iJJ71KKXxgL1hPM",
    "client_secret": "ZEaFUFmF0umgBX1qKJDjaU99Q31lDkOU8NutzTOoliw",
}
# https://docs.joinmastodon.org/methods/oauth/#token (a Token entity: no expiry, no refresh token)
MASTODON_TOKEN = {
    "access_token": "ZA-Yj3aBD8U8Cm7lKUp-lm9O9BmDgdhHzDeqsY8tlL0",
    "token_type": "Bearer",
    "scope": "read write:statuses",
    "created_at": 1573979017,
}

# https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow ("Exchanging Code for
# an Access Token") and .../guides/access-tokens/get-long-lived (the long-lived user token)
FACEBOOK_SHORT_TOKEN = {"access_token": "EAAfb-short-user", "token_type": "bearer", "expires_in": 5183944}
FACEBOOK_LONG_TOKEN = {"access_token": "EAAfb-long-user", "token_type": "bearer", "expires_in": 5183944}
# GET /me/accounts (https://developers.facebook.com/docs/pages-api/getting-started, "Get your Page
# access token") with the instagram_business_account field of the Page
# (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/getting-started)
FACEBOOK_ACCOUNTS = {
    "data": [
        {
            "access_token": "EAAfb-page-acme",
            "category": "Brand",
            "category_list": [{"id": "1605186416478696", "name": "Brand"}],
            "name": "Acme",
            "id": "19292868552",
            "tasks": ["ANALYZE", "ADVERTISE", "MODERATE", "CREATE_CONTENT", "MANAGE"],
            "instagram_business_account": {"id": "17841405822304914", "username": "acme"},
        },
        {
            "access_token": "EAAfb-page-blog",
            "category": "Blog",
            "name": "Acme Blog",
            "id": "1234567890",
            "tasks": ["ANALYZE", "MODERATE"],
        },
    ],
    "paging": {"cursors": {"before": "QVFIUk1", "after": "QVFIUm5"}},
}


# https://docs.bsky.app/docs/api/com-atproto-server-create-session (and refresh-session: same output)
def bluesky_session(access_exp, refresh_exp, access="access", refresh="refresh"):
    return {
        "accessJwt": jwt(access_exp, access),
        "refreshJwt": jwt(refresh_exp, refresh),
        "handle": "acme.bsky.social",
        "did": "did:plc:ewvi7nxzyoun6zhxrhs64oiz",
        "active": True,
    }


# an expired or revoked refresh JWT, as the PDS answers it (HTTP 400), quoted in
# https://github.com/bluesky-social/bsky-docs/pull/330
BLUESKY_EXPIRED = {"error": "ExpiredToken", "message": "Token has been revoked"}
