// Warns before the session runs out and renews it with one button (WCAG
// 2.2.1). The server says how long the session has left and how early to
// warn (templates/components/timeout_warning.html). Escape counts as "more
// time", as closing the warning is a request to stay.

// The page gives the words in its own language (data-words-* on the dialog); English if it does not.
function inWords(milliseconds, words) {
  const minutes = Math.ceil(milliseconds / 60000);
  if (milliseconds < 60000) return words.wordsUnderAMinute || "in less than a minute";
  if (minutes === 1) return words.wordsOneMinute || "in 1 minute";
  return (words.wordsMinutes || "in {minutes} minutes").replace("{minutes}", minutes);
}

export function initTimeoutWarning(dialog) {
  if (!dialog || typeof dialog.showModal !== "function") return;
  const warning = Number(dialog.dataset.warning) * 1000;
  const remaining = dialog.querySelector("[data-timeout-remaining]");
  let endsAt = 0;
  let state = "closed";
  let timers = [];
  let returnFocus = null;

  // Timeouts and intervals share one pool of ids, so clearTimeout ends both.
  function clear() {
    timers.forEach(clearTimeout);
    timers = [];
  }

  function schedule(seconds) {
    clear();
    endsAt = Date.now() + seconds * 1000;
    timers.push(setTimeout(warn, Math.max(seconds * 1000 - warning, 0)));
    timers.push(setTimeout(end, seconds * 1000));
  }

  function show(next) {
    state = next;
    for (const part of dialog.querySelectorAll("[data-timeout-state]")) {
      part.hidden = part.dataset.timeoutState !== next;
    }
    dialog.setAttribute("aria-labelledby", `timeout-${next}-heading`);
    dialog.setAttribute("aria-describedby", `timeout-${next}-text`);
    if (!dialog.open) {
      returnFocus = document.activeElement;
      dialog.showModal();
    }
    dialog.querySelector(`[data-timeout-state="${next}"] .nhsuk-button`).focus();
  }

  function warn() {
    const tick = () => { remaining.textContent = inWords(endsAt - Date.now(), dialog.dataset); };
    tick();
    timers.push(setInterval(tick, 1000));
    show("warning");
  }

  function end() {
    clear();
    show("ended");
  }

  function close() {
    state = "closed";
    dialog.close();
    if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
  }

  async function extend() {
    let reply;
    try {
      const response = await fetch(dialog.dataset.extendUrl, {
        method: "POST",
        headers: { "X-CSRFToken": dialog.dataset.csrfToken },
        credentials: "same-origin",
        redirect: "manual",
      });
      reply = response.ok ? await response.json() : null;
    } catch {
      reply = null;
    }
    if (!reply) {
      end();
      return;
    }
    // Forms on the page get the fresh token, so they still save after a long wait.
    dialog.dataset.csrfToken = reply.csrf_token;
    for (const input of document.querySelectorAll("input[name=csrf_token]")) input.value = reply.csrf_token;
    close();
    schedule(reply.expires_in);
  }

  dialog.querySelector("[data-timeout-extend]").addEventListener("click", extend);
  dialog.querySelector("[data-timeout-close]")?.addEventListener("click", close);
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    if (state === "warning") extend();
    else close();
  });
  schedule(Number(dialog.dataset.timeout));
}
