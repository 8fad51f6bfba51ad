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
