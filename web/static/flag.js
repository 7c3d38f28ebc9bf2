// Progressive enhancement: send flag and report forms without reloading the page.
// Without this script the forms are plain posts that come back to the same page.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.classList || !form.classList.contains("flag-form") || !window.fetch) {
    return;
  }
  event.preventDefault();
  var status = form.querySelector(".flag-status");
  var button = form.querySelector("button[type=submit]");
  button.disabled = true;
  fetch(form.action, {
    method: "POST",
    body: new FormData(form),
    credentials: "same-origin",
    headers: {"Accept": "application/json", "X-Requested-With": "fetch"}
  }).then(function (response) {
    return response.json().then(function (data) {
      var message = data.message || (data.error && data.error.message) || "Sent.";
      status.textContent = message;
      if (response.ok) {
        form.reset();
        form.classList.add("sent");
        // The button that had the focus is gone: give it to the message instead.
        status.setAttribute("tabindex", "-1");
        status.focus();
      } else {
        button.disabled = false;
      }
    });
  }).catch(function () {
    status.textContent = "Could not send; please try again.";
    button.disabled = false;
  });
});
