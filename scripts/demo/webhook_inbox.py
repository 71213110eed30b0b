#!/usr/bin/env python3
"""The demo's stand-in for the departments' group chats: a loopback webhook that appends every
push it receives to a file, so that a new user sees what the phones would get.

    webhook_inbox.py PORT LOGFILE      (serves http://127.0.0.1:PORT/ until killed)
"""
import http.server
import json
import sys
import time


class Inbox(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(n, 1 << 20))
        try:
            msg = json.loads(body)
            line = f"--- {time.strftime('%H:%M:%S')} {msg.get('department', '')} ---\n{msg.get('text') or msg.get('title') or ''}\n"
        except ValueError:
            line = f"--- {time.strftime('%H:%M:%S')} (not JSON) ---\n"
        with open(sys.argv[2], "a", encoding="utf-8") as f:
            f.write(line)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *a):
        pass


if __name__ == "__main__":
    http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Inbox).serve_forever()
