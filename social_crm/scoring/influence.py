"""Influence 0-100: log-scaled reach and engagement, plus verification and activity.

    reach       up to 55  55 * log10(followers + 1) / 7      (10 million followers = 55)
    engagement  up to 25  25 * log10(avg interactions + 1) / 4  (10,000 per post = 25)
    verified    10        the platform verified the account
    activity    up to 10  2 per mention seen (5 mentions = 10)

Logarithms keep a celebrity from dwarfing everyone, the cap on each part keeps
one signal from deciding alone, and the breakdown is stored for display.
"""

import math

REACH_MAX, ENGAGEMENT_MAX, VERIFIED_POINTS, ACTIVITY_MAX = 55, 25, 10, 10


def influence_score(followers=0, avg_interactions=0.0, verified=False, mentions=0):
    followers = max(0, int(followers or 0))
    avg_interactions = max(0.0, float(avg_interactions or 0.0))
    parts = {
        "reach": min(REACH_MAX, REACH_MAX * math.log10(followers + 1) / 7),
        "engagement": min(ENGAGEMENT_MAX, ENGAGEMENT_MAX * math.log10(avg_interactions + 1) / 4),
        "verified": VERIFIED_POINTS if verified else 0,
        "activity": min(ACTIVITY_MAX, 2 * max(0, int(mentions or 0))),
    }
    parts = {name: round(value, 1) for name, value in parts.items()}
    total = int(round(min(100.0, sum(parts.values()))))
    inputs = {
        "followers": followers,
        "avg_interactions": round(avg_interactions, 1),
        "verified": bool(verified),
        "mentions": int(mentions or 0),
    }
    return total, {"components": parts, "inputs": inputs}
