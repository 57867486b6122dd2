"""A very small "browser" for the server's HTML pages: parses forms and submits them like a person would.

Only what the OAuth pages need: each <form>'s action and method, its <input> name/value pairs and its
submit buttons (<button name=... value=...> and <input type=submit>), plus the text of an element by id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Optional
from urllib.parse import urljoin, urlparse

import requests

# Input types whose value is not sent unless they are the button that was clicked.
_BUTTON_INPUT_TYPES = {"submit", "image", "button", "reset"}


@dataclass
class Form:
    action: str
    method: str
    # (name, value) pairs sent with the form, in document order (hidden, text, password, checked boxes...).
    fields: list[tuple[str, str]] = field(default_factory=list)
    # (name, value) of each submit button; name may be "" for an unnamed button.
    buttons: list[tuple[str, str]] = field(default_factory=list)
    # Names of every input the form has, whatever its type (to find "the sign-in form").
    input_names: set[str] = field(default_factory=set)

    def has_button(self, name: str, value: str) -> bool:
        return (name, value) in self.buttons


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._current: Optional[Form] = None
        self._textarea: Optional[tuple[str, list[str]]] = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        a = {k.lower(): (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._current = Form(action=a.get("action", ""), method=(a.get("method") or "get").upper())
            self.forms.append(self._current)
            return
        form = self._current
        if form is None:
            return
        name = a.get("name", "")
        if tag == "input":
            kind = a.get("type", "text").lower()
            if name:
                form.input_names.add(name)
            if kind in _BUTTON_INPUT_TYPES:
                if kind == "submit":
                    form.buttons.append((name, a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if name and "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            elif name and "disabled" not in a:
                form.fields.append((name, a.get("value", "")))
        elif tag == "button":
            if a.get("type", "submit").lower() == "submit":
                form.buttons.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            form.input_names.add(name)
            self._textarea = (name, [])

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None and self._current is not None:
            name, parts = self._textarea
            self._current.fields.append((name, "".join(parts)))
            self._textarea = None
        elif tag == "form":
            self._current = None


def parse_forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


class _TextById(HTMLParser):
    def __init__(self, wanted: str) -> None:
        super().__init__(convert_charrefs=True)
        self.wanted = wanted
        self.depth = 0  # >0 while inside the wanted element
        self.parts: list[str] = []
        self.found = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("id") == self.wanted:
            self.depth = 1
            self.found = True

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def text_of_id(html: str, element_id: str) -> Optional[str]:
    """The text inside the element with this id, stripped; None when there is no such element."""
    parser = _TextById(element_id)
    parser.feed(html)
    parser.close()
    return "".join(parser.parts).strip() if parser.found else None


def describe(response: requests.Response, limit: int = 1500) -> str:
    """One readable line about a response, for assertion messages."""
    body = response.text
    if len(body) > limit:
        body = body[:limit] + "..."
    location = response.headers.get("Location")
    where = f" Location: {location}" if location else ""
    return f"{response.request.method} {response.url} -> {response.status_code}{where}\n{body}"


class Browser:
    """A requests.Session that fills and submits HTML forms. Redirects of form posts are not followed, so that
    tests can check them; `follow` follows one by hand."""

    def __init__(self, timeout: float = 30) -> None:
        self.session = requests.Session()
        self.timeout = timeout

    def get(self, url: str) -> requests.Response:
        return self.session.get(url, timeout=self.timeout)

    def follow(self, response: requests.Response) -> requests.Response:
        assert response.is_redirect, f"expected a redirect: {describe(response)}"
        return self.get(urljoin(response.url, response.headers["Location"]))

    def submit(
        self,
        page: requests.Response,
        form: Form,
        values: Optional[dict[str, str]] = None,
        button: Optional[tuple[str, str]] = None,
    ) -> requests.Response:
        """Submits `form` from `page`: its own fields verbatim, `values` replacing or adding fields, plus the
        name/value of the clicked `button`."""
        values = dict(values or {})
        data: list[tuple[str, str]] = []
        for name, value in form.fields:
            if name in values:
                data.append((name, values.pop(name)))
            else:
                data.append((name, value))
        data.extend(values.items())
        if button is not None and button[0]:
            data.append(button)
        url = urljoin(page.url, form.action or page.url)
        if form.method == "POST":
            return self.session.post(url, data=data, allow_redirects=False, timeout=self.timeout)
        return self.session.get(url, params=data, allow_redirects=False, timeout=self.timeout)

    # --- The OAuth pages ------------------------------------------------------------------------------

    def sign_in(self, authorize_url: str, login: str, password: str) -> requests.Response:
        """Opens the authorize URL signed out, fills the sign-in form and returns the consent page."""
        page = self.get(authorize_url)
        assert page.status_code == 200, f"sign-in page: {describe(page)}"
        forms = [f for f in parse_forms(page.text) if "password" in f.input_names]
        assert forms, f"no form with a password field on the sign-in page: {describe(page)}"
        form = forms[0]
        assert form.method == "POST", f"sign-in form method is {form.method}"
        assert "username" in form.input_names, f"sign-in form has no 'username' field: {form}"

        signed_in = self.submit(page, form, {"username": login, "password": password})
        assert signed_in.status_code == 303, f"signing in: {describe(signed_in)}"
        assert self.session.cookies, f"signing in set no cookie: {signed_in.headers}"
        back_to = urlparse(urljoin(signed_in.url, signed_in.headers["Location"]))
        assert back_to.path == urlparse(authorize_url).path, f"sign-in redirected elsewhere: {back_to.geturl()}"

        consent = self.follow(signed_in)
        assert consent.status_code == 200, f"consent page: {describe(consent)}"
        return consent

    def decide(self, consent: requests.Response, decision: str) -> requests.Response:
        """Clicks the button name="decision" value=`decision` on the consent page; returns the (unfollowed)
        answer."""
        forms = [f for f in parse_forms(consent.text) if f.has_button("decision", decision)]
        assert forms, f'no form with a button name="decision" value="{decision}": {describe(consent)}'
        form = forms[0]
        assert form.method == "POST", f"consent form method is {form.method}"
        assert urlparse(urljoin(consent.url, form.action)).path == "/oauth/authorize", form.action
        return self.submit(consent, form, button=("decision", decision))
