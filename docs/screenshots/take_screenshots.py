"""Take the README screenshots from a running Odoo with the social_crm demo data.

    python docs/screenshots/take_screenshots.py [--url http://127.0.0.1:8069] [--db social_crm]

Needs Chromium and the websocket-client package (both used by the Odoo tests).
Logs in as admin/admin, opens each screen and saves a PNG next to this file.
"""

import argparse
import base64
import json
import os
import subprocess
import tempfile
import time
import urllib.request

import websocket

HERE = os.path.dirname(os.path.abspath(__file__))


def xmlid_action(name):
    return f"/odoo/action-{name}"


def screens(ids):
    return [
        ("overview", xmlid_action("social_crm.social_crm_overview_action")),
        ("mentions", xmlid_action("social_crm.social_crm_mention_action")),
        ("mention_form", f"/odoo/action-social_crm.social_crm_mention_action/{ids['mention']}"),
        ("mentions_report", xmlid_action("social_crm.social_crm_mention_action_report")),
        ("ticket_social", f"/odoo/action-social_crm.helpdesk_ticket_action_social/{ids['ticket']}"),
        ("ticket_conversation", f"/odoo/action-social_crm.helpdesk_ticket_action_social/{ids['conversation']}"),
        ("reply_composer", f"/odoo/action-social_crm.helpdesk_ticket_action_social/{ids['conversation']}"),
        ("contact_social", f"/odoo/contacts/{ids['partner']}"),
        ("advocacy_programs", xmlid_action("social_crm.social_crm_advocacy_program_action")),
        ("lead_social", f"/odoo/crm/{ids['lead']}"),
        ("advocates_kanban", xmlid_action("social_crm.social_crm_advocate_action")),
        ("identities", xmlid_action("social_crm.social_crm_author_action")),
        ("accounts", xmlid_action("social_crm.social_crm_account_action")),
        ("routing_rules", xmlid_action("social_crm.social_crm_routing_rule_action")),
        ("settings", "/odoo/settings#social_crm"),
    ]


def rpc(url, db, service, method, *args):
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "params": {"service": service, "method": method, "args": [db, *args]},
    }
    request = urllib.request.Request(
        f"{url}/jsonrpc", json.dumps(payload).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["result"]


def record_ids(url, db):
    uid = rpc(url, db, "common", "login", "admin", "admin")

    def first(model, domain, order="id desc"):
        found = rpc(
            url, db, "object", "execute_kw", uid, "admin", model, "search", [domain], {"limit": 1, "order": order}
        )
        return found[0]

    return {
        "mention": first("social.crm.mention", [("external_id", "=", "demo-m05")]),
        "ticket": first("helpdesk.ticket", [("social_mention_id", "!=", False)], "priority desc, id"),
        "lead": first("crm.lead", [("social_mention_id", "!=", False)]),
        "conversation": longest_conversation(url, db, uid),
        "partner": first("res.partner", [("social_author_ids", "!=", False)]),
    }


def longest_conversation(url, db, uid):
    """The social ticket with the most posts."""
    groups = rpc(
        url,
        db,
        "object",
        "execute_kw",
        uid,
        "admin",
        "social.crm.mention",
        "read_group",
        [[("ticket_id", "!=", False)], ["ticket_id"], ["ticket_id"]],
        {"orderby": "ticket_id_count desc", "lazy": True},
    )
    return max(groups, key=lambda g: g["ticket_id_count"])["ticket_id"][0]


class Chrome:
    def __init__(self):
        self.profile = tempfile.mkdtemp()
        self.proc = subprocess.Popen(
            [
                "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=9333",
                f"--user-data-dir={self.profile}",
                "--window-size=1440,900",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(50):
            try:
                with urllib.request.urlopen("http://127.0.0.1:9333/json", timeout=2) as response:
                    pages = [p for p in json.loads(response.read()) if p["type"] == "page"]
                if pages:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=60)
        self.counter = 0
        self.send("Page.enable")
        self.send("Emulation.setDeviceMetricsOverride", width=1440, height=900, deviceScaleFactor=1, mobile=False)

    def send(self, method, **params):
        self.counter += 1
        self.ws.send(json.dumps({"id": self.counter, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.counter:
                return message.get("result", {})

    def evaluate(self, expression):
        return self.send("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)

    def goto(self, url, settle=3.0):
        self.send("Page.navigate", url=url)
        time.sleep(settle)

    def shot(self, path):
        data = self.send("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as handle:
            handle.write(base64.b64decode(data))

    def close(self):
        self.ws.close()
        self.proc.terminate()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="social_crm")
    args = parser.parse_args()
    ids = record_ids(args.url, args.db)
    chrome = Chrome()
    try:
        chrome.goto(f"{args.url}/web/login?db={args.db}", settle=2)
        chrome.evaluate(
            "document.querySelector('#login').value='admin';"
            "document.querySelector('#password').value='admin';"
            "document.querySelector('form.oe_login_form').submit();"
        )
        time.sleep(3)
        chrome.goto(f"{args.url}/odoo", settle=10)  # first load builds the asset bundles
        for name, path in screens(ids):
            chrome.goto(f"{args.url}{path}", settle=4)
            if name == "reply_composer":
                chrome.evaluate(
                    "[...document.querySelectorAll('button')].find(b => b.textContent.trim() === "
                    "'Reply on the platform')?.click()"
                )
                time.sleep(2)
            if name == "ticket_conversation":
                chrome.evaluate("document.querySelector('.o-mail-Chatter')?.scrollIntoView()")
                time.sleep(1)
            if name in ("ticket_social", "lead_social", "contact_social"):
                chrome.evaluate(
                    "[...document.querySelectorAll('a.nav-link')].find(a => a.textContent.trim() === 'Social')?.click()"
                )
                time.sleep(1.5)
            chrome.shot(os.path.join(HERE, f"{name}.png"))
            print("saved", name)
    finally:
        chrome.close()


if __name__ == "__main__":
    main()
