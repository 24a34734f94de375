"""Webhook deliveries shaped as in Meta's webhook reference.

No recorded delivery exists in the shared fixtures (their README lists it as a
gap), so these follow the documented shapes: Page ``feed`` changes and
Instagram ``comments`` changes. Used by the pytest and the Odoo tests.
"""

PAGE_FEED = {
    "object": "page",
    "entry": [
        {
            "id": "19292868552",
            "time": 1731000000,
            "changes": [
                {
                    "field": "feed",
                    "value": {
                        "item": "comment",
                        "verb": "add",
                        "post_id": "19292868552_10158407654328553",
                        "comment_id": "10158407654328553_111",
                        "parent_id": "19292868552_10158407654328553",
                        "message": "My order never arrived, can someone help?",
                        "created_time": 1731000000,
                        "from": {"id": "4242", "name": "Ana Souza"},
                    },
                },
                {"field": "feed", "value": {"item": "reaction", "verb": "add", "post_id": "1_2"}},
                {"field": "feed", "value": {"item": "comment", "verb": "remove", "comment_id": "x_1"}},
            ],
        }
    ],
}
IG_COMMENTS = {
    "object": "instagram",
    "entry": [
        {
            "id": "17841406338772941",
            "time": 1731000500,
            "changes": [
                {
                    "field": "comments",
                    "value": {
                        "id": "17858154961981099",
                        "text": "Love this ❤️",
                        "from": {"id": "99", "username": "fan_account"},
                        "media": {"id": "17846368219941692"},
                    },
                },
                {"field": "mentions", "value": {"media_id": "1", "comment_id": "2"}},
            ],
        }
    ],
}
