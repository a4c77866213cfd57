// Loaded as a module, so only browsers NHS.UK frontend supports run it; the
// class it adds switches on the enhanced styles (in place of the inline
// script in the stock template, which our Content-Security-Policy forbids).
import { initAll } from "./vendor/nhsuk/nhsuk-frontend.min.js";
import { initTimeoutWarning } from "./timeout.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();
initTimeoutWarning(document.getElementById("timeout"));
