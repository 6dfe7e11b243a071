#!/usr/bin/env python3
"""A small stateful fake of the GitHub REST endpoints `wisdom publish` uses.

Keeps issues and comments of one repository in memory: list issues (Link
paging), search, get/create/update issues, list/create/update comments.
Control endpoints (not GitHub):
  GET  /_state            everything as JSON (issues with their comments, request log)
  POST /_control          JSON knobs, merged into the current ones:
        page_size: N      items per page for lists (Link rel="next")
        fail: [{"method": "POST", "path": "/repos/o/r/issues", "status": 500,
                "retry_after": 1, "times": 1, "after": 0}]
                          answer `status` to matching requests (path prefix),
                          `times` times, after `after` matching ones went through
        drop: {"method": "POST", "after": N, "times": 1, "apply": false}
                          close the connection without an answer for the write
                          requests after the first N; with apply the write is
                          done first (the answer is lost on the way back)
Usage: fake_github.py --port-file FILE [--repo o/r] [--seed-issue N]
       [--seed-comment ID:RUN_ID]
The token must be sent as `Authorization: Bearer <anything>`; "bad" -> 401.
"""
import argparse
import json
import re
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

STATE = {"issues": {}, "next_issue": 1, "next_comment": 5000000001, "log": [],
         "knobs": {"page_size": 100, "fail": [], "drop": None}, "writes": 0}
REPO = "o/r"
BASE = ""
T0 = "2025-12-22T00:00:00Z"


def issue_json(i):
    return {"number": i["number"], "title": i["title"], "body": i["body"], "state": i["state"],
            "state_reason": None, "labels": [{"name": n} for n in i["labels"]],
            "user": {"login": "wisdom-bot"}, "html_url": "https://github.example/%s/issues/%d" % (REPO, i["number"]),
            "created_at": T0, "updated_at": T0, "closed_at": None, "comments": len(i["comments"])}


def comment_json(n, c):
    return {"id": c["id"], "body": c["body"], "user": {"login": "wisdom-bot"},
            "html_url": "https://github.example/%s/issues/%d#issuecomment-%d" % (REPO, n, c["id"])}


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send(self, status, obj, headers=None):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-ratelimit-limit", "5000")
        self.send_header("x-ratelimit-remaining", "4999")
        self.send_header("x-ratelimit-reset", "1999999999")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def body_json(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        return json.loads(raw.decode() or "{}")

    def knob_fail(self, method, path):
        for f in STATE["knobs"]["fail"]:
            if f.get("method", method) != method or not path.startswith(f.get("path", "/")):
                continue
            if f.get("after", 0) > 0:
                f["after"] -= 1
                continue
            if f.get("times", 1) <= 0:
                continue
            f["times"] = f.get("times", 1) - 1
            hdr = {}
            if "retry_after" in f:
                hdr["Retry-After"] = str(f["retry_after"])
            msg = {"message": f.get("message", "failure injected by the fake (%d)" % f["status"])}
            if f["status"] == 422:
                msg = {"message": "Validation Failed", "errors": [{"resource": "Issue", "field": "title", "code": "missing_field"}]}
            self.send(f["status"], msg, hdr)
            return True
        return False

    def handle_any(self, method):
        u = urllib.parse.urlsplit(self.path)
        path, q = u.path, urllib.parse.parse_qs(u.query)
        body = self.body_json() if method in ("POST", "PATCH") else None
        STATE["log"].append({"method": method, "path": self.path})
        if path == "/_state":
            out = {"issues": [dict(issue_json(i), comment_list=[comment_json(i["number"], c) for c in i["comments"]])
                              for i in sorted(STATE["issues"].values(), key=lambda x: x["number"])],
                   "log": STATE["log"][:-1]}
            return self.send(200, out)
        if path == "/_control":
            STATE["knobs"].update(body)
            return self.send(200, STATE["knobs"])
        auth = self.headers.get("Authorization", "")
        if auth in ("Bearer bad", ""):
            return self.send(401, {"message": "Bad credentials"})
        if self.knob_fail(method, path):
            return
        apply_then_drop = False
        if method in ("POST", "PATCH"):
            STATE["writes"] += 1
            d = STATE["knobs"].get("drop")
            if d and d.get("method", method) == method and STATE["writes"] > d.get("after", 0) and d.get("times", 1) > 0:
                d["times"] = d.get("times", 1) - 1
                if not d.get("apply"):
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                apply_then_drop = True
        status, obj, hdr = self.route(method, path, q, body)
        if apply_then_drop:
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.send(status, obj, hdr)

    def route(self, method, path, q, body):
        pre = "/repos/%s" % REPO
        ps = STATE["knobs"]["page_size"]
        if path == "/search/issues" and method == "GET":
            terms = q.get("q", [""])[0]
            words = [w.strip('"') for w in re.findall(r'"[^"]*"|\S+', terms)
                     if not re.match(r"^(repo|is|label|state):", w)]
            items = [issue_json(i) for i in STATE["issues"].values()
                     if all(w in (i["body"] or "") or w in i["title"] for w in words)]
            return 200, {"total_count": len(items), "incomplete_results": False, "items": items}, {}
        if path == pre + "/issues" and method == "GET":
            allv = sorted(STATE["issues"].values(), key=lambda x: -x["number"])
            st = q.get("state", ["open"])[0]
            if st != "all":
                allv = [i for i in allv if i["state"] == st]
            return self.page(q, [issue_json(i) for i in allv], ps)
        if path == pre + "/issues" and method == "POST":
            if not body.get("title"):
                return 422, {"message": "Validation Failed", "errors": [{"resource": "Issue", "field": "title", "code": "missing_field"}]}, {}
            n = STATE["next_issue"]
            STATE["next_issue"] += 1
            STATE["issues"][n] = {"number": n, "title": body["title"], "body": body.get("body"), "state": "open",
                                  "labels": list(body.get("labels") or []), "comments": []}
            return 201, issue_json(STATE["issues"][n]), {"Location": "%s%s/issues/%d" % (BASE, pre, n)}
        m = re.match(re.escape(pre) + r"/issues/comments/(\d+)$", path)
        if m:
            cid = int(m.group(1))
            for i in STATE["issues"].values():
                for c in i["comments"]:
                    if c["id"] == cid:
                        if method == "PATCH":
                            c["body"] = body.get("body", c["body"])
                        return 200, comment_json(i["number"], c), {}
            return 404, {"message": "Not Found"}, {}
        m = re.match(re.escape(pre) + r"/issues/(\d+)(/comments)?$", path)
        if m:
            n = int(m.group(1))
            i = STATE["issues"].get(n)
            if not i:
                return 404, {"message": "Not Found"}, {}
            if m.group(2):
                if method == "GET":
                    return self.page(q, [comment_json(n, c) for c in i["comments"]], ps)
                c = {"id": STATE["next_comment"], "body": body.get("body")}
                STATE["next_comment"] += 1
                i["comments"].append(c)
                return 201, comment_json(n, c), {}
            if method == "PATCH":
                for k in ("title", "body", "state"):
                    if k in body:
                        i[k] = body[k]
                if "labels" in body:
                    i["labels"] = list(body["labels"])
            return 200, issue_json(i), {}
        return 404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}, {}

    def page(self, q, items, ps):
        p = int(q.get("page", ["1"])[0])
        chunk = items[(p - 1) * ps:p * ps]
        hdr = {}
        if p * ps < len(items):
            qs = {k: v[0] for k, v in q.items()}
            qs["page"] = str(p + 1)
            hdr["Link"] = '<%s%s?%s>; rel="next"' % (BASE, urllib.parse.urlsplit(self.path).path,
                                                     urllib.parse.urlencode(qs))
        return 200, chunk, hdr

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PATCH(self):
        self.handle_any("PATCH")


def main():
    global REPO, BASE
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--repo", default="o/r")
    ap.add_argument("--seed-issue", type=int, action="append", default=[])
    ap.add_argument("--seed-comment", action="append", default=[], help="ISSUE:ID:RUN_ID")
    a = ap.parse_args()
    REPO = a.repo
    for n in a.seed_issue:
        STATE["issues"][n] = {"number": n, "title": "run issue %d" % n, "body": "run issue", "state": "open",
                              "labels": [], "comments": []}
        STATE["next_issue"] = max(STATE["next_issue"], n + 1)
    for s in a.seed_comment:
        n, cid, run = s.split(":", 2)
        STATE["issues"][int(n)]["comments"].append(
            {"id": int(cid), "body": "<!-- DEMOSWARM_RUN:%s FLOW:wisdom -->\n# the pack's comment" % run})
    srv = HTTPServer(("127.0.0.1", 0), H)
    BASE = "http://127.0.0.1:%d" % srv.server_address[1]
    with open(a.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    import os
    os.rename(a.port_file + ".tmp", a.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
