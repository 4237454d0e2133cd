"""One load-test scenario of `make bench` (bench/load.py starts locust with it).

BENCH_PATH is the page every simulated user asks for, as fast as it is answered, with the
session cookie BENCH_COOKIE (bench/load.py logs in once beforehand, so that the scenario's
time is spent on its page); BENCH_PATH=login makes the log-in itself the page, as
BENCH_USERNAME.
"""

import os
import re

from locust import FastHttpUser, task

PATH = os.environ["BENCH_PATH"]
NAME = os.environ.get("BENCH_NAME", PATH)
USERNAME = os.environ["BENCH_USERNAME"]
PASSWORD = os.environ["BENCH_PASSWORD"]
COOKIE = os.environ.get("BENCH_COOKIE", "")
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class StaffMember(FastHttpUser):
    def log_in(self, name):
        page = self.client.get("/accounts/login/", name=f"{name}: form")
        token = CSRF.search(page.content or b"")
        with self.client.post(
            "/accounts/login/",
            data={"username": USERNAME, "password": PASSWORD,
                  "csrfmiddlewaretoken": token.group(1).decode() if token else ""},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:  # the form again: not logged in
                response.failure(f"status {response.status_code}")

    @task
    def ask(self):
        if PATH == "login":
            self.client.cookiejar.clear()
            self.log_in(NAME)
        else:
            with self.client.get(PATH, name=NAME, catch_response=True, allow_redirects=False,
                                 headers={"Cookie": COOKIE}) as response:
                if response.status_code != 200:
                    response.failure(f"status {response.status_code}")
