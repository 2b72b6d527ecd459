"""What a browser would submit for a form on a page: the HTML's own controls, read as the HTML
standard's form submission reads them (checked boxes only, selected options, textarea text,
no disabled controls, no files), with the standard's value sanitisation (a date picker given
2027/06/30 or a number field given 1,234.50 holds an empty value; a text input holds no line
breaks) and its CRLF line breaks. Tests post this back to see that saving a form unchanged
changes nothing."""

import datetime as dt
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.forms import BaseForm, BaseFormSet
from django.test.utils import ContextList

NOT_SUBMITTED = {"submit", "button", "reset", "image", "file"}
SINGLE_LINE = {"text", "search", "tel", "url", "email", "password"}
VALID_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
VALID_TIME = re.compile(r"([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]{1,3})?)?")


def _valid_date(value: str) -> bool:
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _valid_time(value: str) -> bool:
    match = VALID_TIME.fullmatch(value)
    if not match:
        return False
    hour, minute, second = match.groups()
    return int(hour) < 24 and int(minute) < 60 and int(second or 0) < 60


def _valid_datetime_local(value: str) -> bool:
    date, separator, time = value.partition("T") if "T" in value else value.partition(" ")
    return bool(separator) and _valid_date(date) and _valid_time(time)


SANITISE = {
    "number": lambda value: value if VALID_NUMBER.fullmatch(value) else "",
    "date": lambda value: value if _valid_date(value) else "",
    "time": lambda value: value if _valid_time(value) else "",
    "datetime-local": lambda value: value.replace(" ", "T") if _valid_datetime_local(value) else "",
}


def sanitised(kind: str, value: str) -> str:
    """The value an <input type=kind value=value> holds (HTML's value sanitisation)."""
    if kind in SINGLE_LINE:
        value = value.replace("\r", "").replace("\n", "")
    if kind in ("email", "url"):
        value = value.strip()
    return SANITISE.get(kind, lambda value: value)(value)


def crlf(value: str) -> str:
    """Line breaks as a browser submits them."""
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


@dataclass
class _Select:
    name: str
    multiple: bool
    disabled: bool
    options: list = field(default_factory=list)  # [value, label, selected, disabled]


@dataclass
class HtmlForm:
    attrs: dict
    pairs: list = field(default_factory=list)  # [(name, value)] in document order
    inputs: list = field(default_factory=list)  # the attributes of every <input>
    submitter: tuple | None = None

    def data(self) -> dict[str, list[str]]:
        """The submitted pairs as the test client's POST data ({name: [value, ...]})."""
        data: dict[str, list[str]] = {}
        pairs = [*self.pairs, *([self.submitter] if self.submitter else [])]
        for name, value in pairs:
            data.setdefault(name, []).append(value)
        return data


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[HtmlForm] = []
        self._form: HtmlForm | None = None
        self._select: _Select | None = None
        self._option: list | None = None
        self._textarea: list | None = None  # [name, text parts]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._form = HtmlForm(attrs=attributes)
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        disabled = "disabled" in attributes
        name = attributes.get("name")
        if tag == "input":
            self._input(attributes, name=name, disabled=disabled)
        elif tag == "button":
            kind = attributes.get("type", "submit")
            if kind == "submit" and self._form.submitter is None and not disabled:
                self._form.submitter = (name, attributes.get("value", "")) if name else ()
        elif tag == "select" and name:
            self._select = _Select(name, "multiple" in attributes, disabled)
        elif tag == "option" and self._select is not None:
            self._option = [attributes.get("value"), "", "selected" in attributes, disabled]
            self._select.options.append(self._option)
        elif tag == "textarea" and name and not disabled:
            self._textarea = [name, []]

    def _input(self, attributes, *, name, disabled):
        self._form.inputs.append(attributes)
        kind = attributes.get("type", "text").lower()
        if kind == "submit" and self._form.submitter is None and not disabled:
            self._form.submitter = (name, attributes.get("value", "")) if name else ()
        if not name or disabled or kind in NOT_SUBMITTED:
            return
        if kind in ("checkbox", "radio"):
            if "checked" in attributes:
                self._form.pairs.append((name, attributes.get("value", "on")))
            return
        self._form.pairs.append((name, sanitised(kind, attributes.get("value", ""))))

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            self._close_select()
        elif tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            text = "".join(parts)
            # The HTML parser drops one newline right after <textarea>.
            self._form.pairs.append((name, crlf(text.removeprefix("\n"))))
            self._textarea = None

    def _close_select(self):
        select, self._select = self._select, None
        if select.disabled:
            return
        options = [
            (label.strip() if value is None else value, selected)
            for value, label, selected, disabled in select.options
            if not disabled
        ]
        chosen = [value for value, selected in options if selected]
        if not select.multiple:
            # One choice: the last one marked selected, else the first option.
            chosen = chosen[-1:] or [value for value, _selected in options[:1]]
        self._form.pairs.extend((select.name, value) for value in chosen)


def page_forms(html: str) -> list[HtmlForm]:
    reader = _FormReader()
    reader.feed(html)
    reader.close()
    return reader.forms


def edit_form(html: str) -> HtmlForm:
    """The page's own form: posted to the page itself (no action), as edit pages are."""
    forms = [
        form
        for form in page_forms(html)
        if form.attrs.get("method", "get").lower() == "post" and not form.attrs.get("action")
    ]
    assert len(forms) == 1, f"expected one form that posts to the page, found {len(forms)}"
    return forms[0]


def page_errors(response) -> list:
    """The errors of the forms and formsets a page rendered (for a failing test's message)."""
    errors = []
    context = response.context
    contexts = context if isinstance(context, ContextList) else [context]
    values = [value for each in contexts if each for value in each.flatten().values()]
    for value in values:
        if isinstance(value, BaseForm) and value.errors:
            errors.append(value.errors.as_data())
        if isinstance(value, BaseFormSet):
            errors.extend([*value.errors, *value.non_form_errors()])
    return errors
