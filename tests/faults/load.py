"""A light, bounded load on the site while faults are injected: a few page views a second and one
reader submission a second, a comment and a newsletter signup by turns. Every answer is recorded
with the phase it fell in, and every submission with the marker that finds it in the database."""

import http.client
import itertools
import json
import random
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode


@dataclass
class Answer:
    at: float  # time.monotonic()
    phase: str
    kind: str  # page, comment, signup, token
    status: object  # an HTTP status, or "no answer: <error>"
    marker: str = ""  # the comment's marker or the signup's address


@dataclass
class Load:
    port: int
    article_id: int
    article_path: str
    pages: list
    pages_per_second: float = 4.0
    phase: str = "start"
    answers: list = field(default_factory=list)

    def __post_init__(self):
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.counter = itertools.count(1)
        self.threads = []

    # -- HTTP --------------------------------------------------------------------------------------------
    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        try:
            all_headers = {
                "Host": f"127.0.0.1:{self.port}",
                "User-Agent": "newsroom-fault-suite",
                "Origin": f"http://127.0.0.1:{self.port}",
                **(headers or {}),
            }
            if body is not None:
                body = urlencode(body)
                all_headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            return response.status, response.getheader("Location", ""), response.read()
        except (OSError, http.client.HTTPException) as error:
            return f"no answer: {type(error).__name__}", "", b""
        finally:
            connection.close()

    def record(self, kind, status, marker=""):
        with self.lock:
            self.answers.append(Answer(time.monotonic(), self.phase, kind, status, marker))

    # -- readers ---------------------------------------------------------------------------------------
    def view_pages(self, seed):
        chooser = random.Random(seed)
        interval = 2 / self.pages_per_second  # two threads
        while not self.stopping.is_set():
            started = time.monotonic()
            status, _, _ = self.request("GET", chooser.choice(self.pages))
            self.record("page", status)
            self.stopping.wait(max(0.0, interval - (time.monotonic() - started)))

    def comment(self, n):
        status, _, body = self.request("GET", f"/comments/token/{self.article_id}/")
        self.record("token", status)
        token = json.loads(body)["token"] if status == 200 else ""
        marker = f"fault-comment-{n:05d}"
        status, location, _ = self.request(
            "POST",
            f"/comments/post/{self.article_id}/",
            {
                "author_name": f"Reader {n}",
                "author_email": f"commenter{n}@faults.example",
                "body_text": f"A reader's view, {marker}, on supply.",
                "token": token,
                "honeypot": "",
                "parent": "",
            },
        )
        # Accepted: redirected back to the article (held for moderation or live), as a browser would be.
        accepted = status == 302 and self.article_path in location
        self.record("comment", status, marker if accepted else f"refused:{marker}")

    def signup(self, n):
        email = f"signup{n:05d}@faults.example"
        status, location, _ = self.request("POST", "/newsletter/", {"email": email, "source": "fault suite"})
        accepted = status == 302 and location.endswith("/newsletter/thanks/")
        self.record("signup", status, email if accepted else f"refused:{email}")

    def submit(self):
        while not self.stopping.is_set():
            started = time.monotonic()
            n = next(self.counter)
            (self.comment if n % 2 else self.signup)(n)
            self.stopping.wait(max(0.0, 1.0 - (time.monotonic() - started)))

    def start(self):
        self.threads = [
            threading.Thread(target=self.view_pages, args=(seed,), daemon=True) for seed in (1, 2)
        ]
        self.threads.append(threading.Thread(target=self.submit, daemon=True))
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)

    # -- figures ---------------------------------------------------------------------------------------
    def in_phase(self, phase):
        with self.lock:
            return [answer for answer in self.answers if answer.phase == phase]

    def all(self):
        with self.lock:
            return list(self.answers)
