// Progressive enhancement: send flag and report forms without reloading the page.
// Without this script the forms are plain posts that come back to the same page.
//
// A visitor's page carries no CSRF token (so that it sets no cookie and may be cached):
// its forms have a data-token URL and are hidden behind a link to the report page.
// With the script, the form is shown instead, and a token is fetched when the form is
// opened (or, at the latest, when it is sent).
(function () {
  var tokenRequest = null;

  function token(form) {
    var input = form.querySelector("input[name=csrf_token]");
    if (input.value || !form.dataset.token) {
      return Promise.resolve();
    }
    if (!tokenRequest) {
      tokenRequest = fetch(form.dataset.token, {
        credentials: "same-origin",
        headers: {"Accept": "application/json"}
      }).then(function (response) {
        if (!response.ok) {
          throw new Error("no token");
        }
        return response.json();
      }).catch(function (error) {
        tokenRequest = null;          // try again next time
        throw error;
      });
    }
    return tokenRequest.then(function (data) {
      document.querySelectorAll("form.flag-form[data-token] input[name=csrf_token]")
        .forEach(function (field) { field.value = data.csrf_token; });
    });
  }

  if (window.fetch && window.Promise) {
    document.querySelectorAll("form.flag-form[data-token]").forEach(function (form) {
      var link = form.parentNode.querySelector(".flag-page");
      if (link) {
        link.remove();
      }
      form.hidden = false;
      form.closest("details").addEventListener("toggle", function (event) {
        if (event.target.open) {
          token(form).catch(function () {});
        }
      });
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("flag-form") || !window.fetch) {
      return;
    }
    event.preventDefault();
    var status = form.querySelector(".flag-status");
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    token(form).then(function () {
      return fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: {"Accept": "application/json", "X-Requested-With": "fetch"}
      });
    }).then(function (response) {
      return response.json().then(function (data) {
        var message = data.message ||
          (data.error && (data.error.display || data.error.message)) ||
          status.getAttribute("data-sent") || "Sent.";
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
      status.textContent = status.getAttribute("data-failed") ||
        "Could not send; please try again.";
      button.disabled = false;
    });
  });
})();
