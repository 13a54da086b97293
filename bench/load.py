"""The locustfile of `make bench`, section "load" (bench/load_run.py runs it and says what it
measures). People, each logged in once with an account of their own, waiting 1–5 s between
tasks as people do:

- Filer: an enterprise user on its desk, its filing list, its draft filing, now and then saving
  the draft's form as it was read (CSRF token and version from the form);
- Importer: an enterprise user uploading a small roster to its draft plan, opening the job page
  until the file is checked, now and then importing it;
- Reviewer: a district or city reviewer on the dashboard, the filing list with a search, a filing
  of that list, the certificate list;
- Public: the verification API and the verification page with known numbers and names.

Every request goes through a TLS proxy in production: X-Forwarded-Proto https, and the client's
own address in X-Forwarded-For (the servers trust one proxy), so the per-address limits count
each person as the portal counts them. LOAD_DATA names the JSON file of accounts, plans and
certificates (bench/load_run.py writes it); LOAD_SAMPLES, when set, the file each request's
kind, latency and outcome are appended to.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from html.parser import HTMLParser
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path

from locust import HttpUser, between, events, task

DATA = json.loads(Path(os.environ["LOAD_DATA"]).read_text()) if "LOAD_DATA" in os.environ else {}
WEIGHTS = DATA.get("weights", {})  # people of each kind among the run's users
_addresses = itertools.count(1)
_SAMPLES = open(os.environ["LOAD_SAMPLES"], "a") if os.environ.get("LOAD_SAMPLES") else None  # noqa: SIM115


@events.request.add_listener
def _sample(request_type, name, response_time, response_length, exception=None, **_kwargs):
    if _SAMPLES is not None:
        failed = int(exception is not None)
        _SAMPLES.write(f"{time.time():.3f}\t{request_type} {name}\t{response_time:.1f}\t{failed}\n")


@events.quitting.add_listener
def _close(**_kwargs):
    if _SAMPLES is not None:
        _SAMPLES.flush()


def _secure_cookies_over_plain_http(policy, cookie, request):
    return True


# The servers mark cookies Secure (they see https from the proxy); the bench talks plain HTTP to
# gunicorn, so the client sends them back anyway, as the proxy would. requests copies the session's
# jar into a new one per request, so the policy is changed for this (locust's own) process.
DefaultCookiePolicy.return_ok_secure = _secure_cookies_over_plain_http


class _Forms(HTMLParser):
    """Every form of a page: action, and the fields a browser would send as they stand."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or "", "fields": []})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.forms[-1]["fields"].append((a["name"], a.get("value") or ""))
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.forms[-1]["fields"].append((self._select, a.get("value") or ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.forms[-1]["fields"].append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select":
            self._select = None


def forms(page: str) -> list[dict]:
    parser = _Forms()
    parser.feed(page)
    return parser.forms


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    return match.group(1) if match else ""


class Person(HttpUser):
    abstract = True
    wait_time = between(
        float(os.environ.get("LOAD_WAIT_MIN", 1)), float(os.environ.get("LOAD_WAIT_MAX", 5))
    )
    kind = ""  # the key of DATA holding this kind's accounts

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.weight = WEIGHTS.get(cls.__name__, 1)
        cls._numbers = itertools.count()  # which of the kind's accounts the next person takes

    def on_start(self):
        n = next(_addresses)
        self.address = f"10.{n // 250 % 250}.{n % 250}.{1 + n // 62500}"
        self.client.headers.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": self.address})
        if self.kind:
            accounts = DATA[self.kind]
            self.account = accounts[next(type(self)._numbers) % len(accounts)]
            self.log_in(self.account["username"])

    def post(self, path: str, data, *, name: str, referer: str, **kwargs):
        origin = self.host.replace("http://", "https://")
        headers = {"Referer": origin + referer, "Origin": origin}
        return self.client.post(
            path, data=data, headers=headers, name=name, catch_response=True, **kwargs
        )

    def log_in(self, username: str) -> None:
        page = self.client.get("/accounts/login/", name="login form").text
        form = {
            "csrfmiddlewaretoken": csrf_token(page),
            "username": username,
            "password": DATA["password"],
        }
        with self.post(
            "/accounts/login/",
            form,
            name="login",
            referer="/accounts/login/",
            allow_redirects=False,
        ) as response:
            if response.status_code != 302 or "sessionid" not in self.client.cookies:
                response.failure(f"login as {username}: {response.status_code}")

    def page(self, path: str, name: str) -> str:
        """A page of a logged-in user; landing on the login page is a failure (session lost)."""
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.ok and "/accounts/login/" in response.url:
                response.failure(f"{path}: sent to the login page")
            return response.text if response.ok else ""


class Filer(Person):
    kind = "filers"

    @task(3)
    def desk(self):
        self.page("/dashboard/", "dashboard")
        self.page("/filings/", "filing list")

    @task(3)
    def filing(self):
        self.page(f"/filings/{self.account['filing']}/", "filing detail")

    @task(1)
    def save_draft(self):
        path = f"/filings/{self.account['filing']}/edit/"
        page = self.page(path, "filing edit form")
        form = next((f for f in forms(page) if any(k == "version" for k, _ in f["fields"])), None)
        if form is None:
            return
        with self.post(path, form["fields"], name="filing edit save", referer=path) as response:
            # Saved: back on the filing's page. Anything else (the form again) is a refusal.
            if response.ok and not response.url.rstrip("/").endswith(
                f"/filings/{self.account['filing']}"
            ):
                response.failure("draft not saved")


class Importer(Person):
    kind = "importers"

    @task
    def import_roster(self):
        plan = self.account["plan"]
        path = f"/plans/{plan}/roster/import/"
        token = csrf_token(self.page(path, "roster upload form"))
        roster = Path(self.account["roster"]).read_bytes()
        xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        with self.post(
            path,
            {"csrfmiddlewaretoken": token},
            files={"file": ("roster.xlsx", roster, xlsx)},
            name="roster upload",
            referer=path,
        ) as response:
            job = re.search(r"/roster/import/(\d+)/$", response.url)
            if job is None:
                response.failure(f"upload refused ({response.status_code})")
                return
        job_path = f"/plans/{plan}/roster/import/{job.group(1)}/"
        for _ in range(10):
            status = self.client.get(
                f"{job_path}status/", name="roster job status", catch_response=True
            )
            with status as response:
                finished = response.ok and response.json().get("finished")
            if finished:
                break
            self.wait()
        page = self.page(job_path, "roster job page")
        if random.random() < 0.5:
            return
        with self.post(
            f"{job_path}import/",
            {"csrfmiddlewaretoken": csrf_token(page), "mode": "all"},
            name="roster import",
            referer=job_path,
        ) as response:
            if not response.ok:
                response.failure(f"import refused ({response.status_code})")

    @task
    def plan_roster(self):
        self.page(f"/plans/{self.account['plan']}/roster/", "roster page")


class Reviewer(Person):
    kind = "reviewers"

    @task(2)
    def dashboard(self):
        self.page("/dashboard/", "dashboard")

    @task(3)
    def filings(self):
        search = random.choice(DATA["searches"])
        listing = self.page(f"/filings/?q={search}", "filing list search")
        found = re.findall(r'href="/filings/(\d+)/"', listing)
        if found:
            self.wait()
            self.page(f"/filings/{random.choice(found)}/", "filing detail")

    @task(2)
    def certificates(self):
        self.page("/certificates/", "certificate list")


class Public(Person):
    @task(2)
    def api(self):
        number, name = random.choice(DATA["certificates"])
        with self.client.get(
            "/api/v1/certificates/verify",
            params={"number": number, "name": name},
            name="verify API",
            catch_response=True,
        ) as response:
            if response.ok and response.json().get("result") != "valid":
                response.failure(f"verify {number}: {response.text[:100]}")

    @task(1)
    def page_form(self):
        number, name = random.choice(DATA["certificates"])
        page = self.client.get("/verify/", name="verify page").text
        self.wait()
        form = {"csrfmiddlewaretoken": csrf_token(page), "number": number, "name": name}
        with self.post("/verify/", form, name="verify page answer", referer="/verify/") as response:
            if response.ok and number not in response.text:
                response.failure(f"verify page {number}: no answer")
