// Pilot eerstelijn: progressive enhancement only; every page works without JavaScript.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target.matches("select[data-autosubmit]")) {
    target.form.requestSubmit();
  }
});

// With JavaScript, htmx handles these buttons; pressing Enter in the form then saves it instead of
// triggering the first (no-JavaScript fallback) submit button.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("button[data-js-button]").forEach((button) => {
    button.type = "button";
  });
});

// The print button of a printable page (e.g. the referral letter); hidden without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("button[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });
});

// A counter under every text area with a limit. The browser's maxlength would cut a long paste
// silently; instead the limit is shown, the counter says how much is too much, and the server
// refuses a text that is too long with a clear message. The counter is not a live region (it
// would speak on every key): a hidden live region repeats it once typing pauses.
const COUNTER_PAUSE_MS = 1000;

function counterText(texts, count, limit) {
  const format = (value) => value.toLocaleString(document.documentElement.lang || "nl");
  const left = limit - count;
  let template;
  if (left >= 0) {
    template = left === 1 ? texts.leftOne : texts.left;
  } else {
    template = left === -1 ? texts.overOne : texts.over;
  }
  return template
    .replace("%(count)s", format(Math.abs(left)))
    .replace("%(limit)s", format(limit));
}

function setUpCounter(field) {
  const texts = document.getElementById("teller-teksten");
  const limit = parseInt(field.getAttribute("maxlength"), 10);
  if (!texts || !limit || field.dataset.limit) {
    return;
  }
  field.dataset.limit = String(limit);
  field.removeAttribute("maxlength");
  const counter = document.createElement("div");
  counter.id = `${field.id}-teller`;
  counter.className = "form-text char-counter";
  const spoken = document.createElement("div");
  spoken.className = "visually-hidden";
  spoken.setAttribute("aria-live", "polite");
  field.insertAdjacentElement("afterend", counter);
  counter.insertAdjacentElement("afterend", spoken);
  const described = field.getAttribute("aria-describedby");
  field.setAttribute("aria-describedby", described ? `${described} ${counter.id}` : counter.id);
  const show = () => {
    counter.textContent = counterText(texts.dataset, field.value.length, limit);
    counter.classList.toggle("char-counter-over", field.value.length > limit);
  };
  let pause;
  field.addEventListener("input", () => {
    show();
    clearTimeout(pause);
    pause = setTimeout(() => {
      spoken.textContent = counter.textContent;
    }, COUNTER_PAUSE_MS);
  });
  show();
}

function setUpCounters(root) {
  root.querySelectorAll("textarea[maxlength]").forEach(setUpCounter);
}

document.addEventListener("DOMContentLoaded", () => setUpCounters(document));
// rows added by htmx (another sub-problem) get their counters too
document.addEventListener("htmx:load", (event) => setUpCounters(event.target));
