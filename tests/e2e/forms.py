"""Driving the server's HTML forms as a browser without JavaScript does (requests, no script): each form's page
sets the `_tern_csrf` cookie, and the form sends its value back as `authenticity_token`."""

from __future__ import annotations

from typing import Optional, Union

import requests
from browser import describe, parse_forms
from tern_server import TernServer

CSRF_COOKIE = "_tern_csrf"
SESSION_COOKIE = "_tern_session"


class FormSession:
    """A requests.Session that uses the server's HTML forms: it opens a form's page first (which sets the CSRF
    cookie) and sends the cookie's value as `authenticity_token`. Redirects are never followed by themselves."""

    def __init__(self, server: TernServer) -> None:
        self.server = server
        self.http = requests.Session()

    def get(self, path: str) -> requests.Response:
        url = path if path.startswith("http") else self.server.url(path)
        return self.http.get(url, allow_redirects=False, timeout=30)

    def open(self, path: str) -> requests.Response:
        """GETs a page of forms, expecting 200, a CSRF cookie, and the cookie's value as every form's token."""
        page = self.get(path)
        assert page.status_code == 200, describe(page)
        tokens = {
            value for form in parse_forms(page.text) for name, value in form.fields if name == "authenticity_token"
        }
        assert tokens <= {self.csrf}, f"the forms' authenticity_token {tokens} is not the cookie {self.csrf!r}"
        return page

    @property
    def csrf(self) -> str:
        value = self.http.cookies.get(CSRF_COOKIE)
        assert value, f"no {CSRF_COOKIE} cookie yet: open a form page first"
        return value

    @property
    def signed_in(self) -> bool:
        return bool(self.http.cookies.get(SESSION_COOKIE))

    def post(
        self,
        path: str,
        data: Union[dict[str, str], list[tuple[str, str]]],
        multipart: bool = False,
        token: Optional[str] = "",
    ) -> requests.Response:
        """POSTs a form. `token` "" sends the CSRF cookie's value, None sends no token, anything else that.
        `multipart` sends multipart/form-data as a form with an (empty) file input does."""
        fields = list(data.items()) if isinstance(data, dict) else list(data)
        if token is not None:
            fields.append(("authenticity_token", token or self.csrf))
        url = self.server.url(path)
        if multipart:
            files = [(name, (None, value)) for name, value in fields]
            files.append(("avatar", ("", b"", "application/octet-stream")))  # "no file chosen"
            return self.http.post(url, files=files, allow_redirects=False, timeout=30)
        return self.http.post(url, data=fields, allow_redirects=False, timeout=30)

    def sign_in(self, login: str, password: str, return_to: str = "") -> requests.Response:
        """Fills /auth/sign_in; returns the answer (303 when signed in, 401 when refused)."""
        self.open("/auth/sign_in")
        return self.post("/auth/sign_in", {"username": login, "password": password, "return_to": return_to})


def signed_in_session(server: TernServer, login: str, password: str) -> FormSession:
    web = FormSession(server)
    answer = web.sign_in(login, password)
    assert answer.status_code == 303, describe(answer)
    assert web.signed_in
    return web
