"""What the browser tests share besides fixtures: the axe scan, the console check, measuring
what a task demands of the user (`watch_effort`, `empty_controls`), and filling in the
advocaat's advice form."""

from __future__ import annotations

from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_axe = Axe()


def assert_accessible(page) -> None:
    """axe-core (WCAG 2.1 A and AA rules) finds no violation on the current page."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def assert_no_console_errors(page) -> None:
    assert page.console_errors == [], page.console_errors


def fill_advice(section, *, analysis: str, match: str, continuation: str) -> None:
    """Fill in one sub-problem's section of the advice form (referral useful: no)."""
    section.get_by_label("Uw juridische analyse").fill(analysis)
    section.get_by_role("group", name="Komt uw analyse overeen").get_by_label(
        match, exact=True
    ).check()
    section.get_by_role("group", name="Is doorverwijzen naar een advocaat zinvol").get_by_label(
        "Nee", exact=True
    ).check()
    section.get_by_role("group", name="Hoe gaat de zaak verder").get_by_label(
        continuation, exact=True
    ).check()
    section.get_by_role("group", name="Zonder dit overleg").get_by_label("Ja", exact=True).check()


# ---------------------------------------------------------------- what a task demands of the user

_OPERATIONS_KEY = "pilot-test-operations"

# Runs in every document of the page: records each control the user operates, from trusted
# (user-made, not script-made) events, in sessionStorage so it survives page loads.
_RECORD_OPERATIONS = """
(() => {
  const KEY = "OPERATIONS_KEY";
  const BUTTONS = ["submit", "button", "reset", "image"];
  const kindOf = (el) => {
    if (el.matches("a[href]")) return "link";
    if (el.matches("button, summary") || BUTTONS.includes(el.type)) return "button";
    if (el.matches("select") || ["radio", "checkbox"].includes(el.type)) return "choice";
    return "field";
  };
  const record = (event) => {
    if (!event.isTrusted || !event.target.closest) return;
    const control = event.target.closest("a[href], button, summary, input, select, textarea");
    if (!control || control.type === "hidden") return;
    const kind = kindOf(control);
    // A click into a text field is not an operation of its own: the typing is.
    if ((event.type === "click") === (kind === "field")) return;
    const name = kind === "link" || kind === "button"
      ? (control.innerText || control.value || "").trim().replace(/\\s+/g, " ")
      : control.name;
    const operations = JSON.parse(sessionStorage.getItem(KEY) || "[]");
    const last = operations[operations.length - 1];
    if (!last || last[0] !== kind || last[1] !== name) operations.push([kind, name]);
    sessionStorage.setItem(KEY, JSON.stringify(operations));
  };
  document.addEventListener("click", record, true);
  document.addEventListener("input", record, true);
})();
""".replace("OPERATIONS_KEY", _OPERATIONS_KEY)


class Effort:
    """What a task took, observed by the browser from `watch_effort(page)` on.

    `loads`: the main-frame document requests as "METHOD /path", redirects included, so an
    extra page or an extra redirect shows. `operations(page)`: the controls the user operated,
    in order, as (kind, name): "link" or "button" (by its text) and "choice" (radio, checkbox,
    select) clicked, "field" typed into (by its name)."""

    def __init__(self, page):
        self.loads: list[str] = []
        page.on("request", self._on_request)
        page.add_init_script(_RECORD_OPERATIONS)
        self._page = page

    def _on_request(self, request) -> None:
        if request.is_navigation_request() and request.frame == self._page.main_frame:
            self.loads.append(f"{request.method} {urlsplit(request.url).path}")

    def operations(self) -> list[tuple[str, str]]:
        recorded = self._page.evaluate(
            f"JSON.parse(sessionStorage.getItem('{_OPERATIONS_KEY}') || '[]')"
        )
        return [tuple(operation) for operation in recorded]


def watch_effort(page) -> Effort:
    """Start measuring before the task's first page: `effort = watch_effort(page)`."""
    return Effort(page)


def empty_controls(page, *, required_only: bool) -> list[str]:
    """Names of the controls of the page's main form(s) the user still has to fill in: visible,
    enabled, and empty (a text field or select without a value, a radio group without a choice,
    once per group). With `required_only`, only those marked `required` or aria-required."""
    return page.eval_on_selector_all(
        "main form input, main form select, main form textarea",
        """(controls, requiredOnly) => {
          const SKIP = ["hidden", "submit", "button", "reset", "image", "checkbox"];
          const names = [];
          for (const el of controls) {
            if (el.disabled || SKIP.includes(el.type) || !el.checkVisibility()) continue;
            const required = el.required || el.getAttribute("aria-required") === "true";
            if (requiredOnly && !required) continue;
            const empty = el.type === "radio"
              ? !el.closest("form").querySelector(
                  `input[type=radio][name="${CSS.escape(el.name)}"]:checked`)
              : !el.value;
            if (empty && !names.includes(el.name)) names.push(el.name);
          }
          return names;
        }""",
        required_only,
    )
