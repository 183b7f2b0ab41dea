() => {
  // The customer widget's page script (mounted as Gradio's `js`; see bot/web/ui_customer.py).
  // 1. Keeps the session id and its token in localStorage, so a reload resumes the conversation.
  // 2. Polls GET /api/v1/sessions/{id}/messages?after=SEQ and, when an agent wrote (or the
  //    conversation closed), asks the page to refresh: agent replies arrive without a customer message.
  const KEY = "csbot-widget";
  const POLL_MS = 3000;
  let polling = false;
  let lastRefresh = 0;

  function shown() {
    return document.querySelector("#widget-meta #widget-state");
  }

  function remember() {
    const state = shown();
    if (!state) return;
    if (state.dataset.forget === "1") {
      window.localStorage.removeItem(KEY);
    } else if (state.dataset.session && state.dataset.token) {
      const value = JSON.stringify({ session: state.dataset.session, token: state.dataset.token });
      if (window.localStorage.getItem(KEY) !== value) window.localStorage.setItem(KEY, value);
    }
  }

  function refresh() {
    const button = document.querySelector("#refresh");
    if (button && Date.now() - lastRefresh > POLL_MS / 2) {
      lastRefresh = Date.now();
      button.click();
    }
  }

  async function poll() {
    const state = shown();
    if (polling || !state || !state.dataset.session || !state.dataset.token) return;
    polling = true;
    try {
      const url = `/api/v1/sessions/${encodeURIComponent(state.dataset.session)}/messages?after=${state.dataset.seq}`;
      const answer = await fetch(url, { headers: { Authorization: `Bearer ${state.dataset.token}` } });
      if (answer.status === 401 || answer.status === 403) {
        refresh(); // the conversation ended (its token revoked): the page shows the close and a new token
        return;
      }
      if (!answer.ok) return;
      const body = await answer.json();
      const changed = body.messages.length > 0 || body.agent !== state.dataset.agent
        || String(Number(body.closed)) !== state.dataset.closed;
      if (changed) refresh();
    } catch (error) {
      // offline for a moment: the next poll tries again
    } finally {
      polling = false;
    }
  }

  // 3. Sends a chosen photo or video with the session's token; the server checks its type and size.
  async function attach(input) {
    const state = shown();
    const note = document.querySelector("#attach-hint");
    const file = input.files && input.files[0];
    if (!state || !state.dataset.token || !file || !note) return;
    note.textContent = `正在发送 ${file.name}…`;
    const form = new FormData();
    form.append("file", file, file.name);
    try {
      const url = `/api/v1/sessions/${encodeURIComponent(state.dataset.session)}/attachments`;
      const answer = await fetch(url, { method: "POST", body: form, headers: { Authorization: `Bearer ${state.dataset.token}` } });
      const body = await answer.json().catch(() => ({}));
      if (answer.ok) {
        note.textContent = `已发送：${body.name}`;
        lastRefresh = 0;
        refresh();
      } else {
        const message = (body.error && body.error.message) || "发送失败，请稍后再试";
        note.textContent = message.split(" (")[0];
      }
    } catch (error) {
      note.textContent = "网络中断，附件没有发出，请稍后再试";
    } finally {
      input.value = "";
    }
  }
  document.addEventListener("change", (event) => {
    if (event.target && event.target.id === "attach-input") attach(event.target);
  });

  window.setInterval(remember, 500);
  window.setInterval(poll, POLL_MS);
}
