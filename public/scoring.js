// The council member's score sheet, offline-first: every save goes to the JSON API with an
// idempotency key. When the network is down (or the server is briefly unavailable) the sheet waits
// in localStorage (one entry per sheet, the latest wins; one queue per signed-in member, so a
// shared tablet never sends one member's sheet under another's session) and is sent when the
// browser is back online; the server answers a resend of the same key with the sheet it already
// saved, so nothing is counted twice. The sticky bar shows how many criteria are answered and the
// running total.
(() => {
  const form = document.querySelector('form.score-form[data-api]');
  if (!form) return;
  const QUEUE = form.dataset.queueKey || 'ocop-sheet-queue';
  const status = form.querySelector('[data-offline-status]');
  const lang = document.documentElement.lang === 'en' ? 'en' : 'vi';
  const FALLBACK = {
    vi: {
      queued: 'Mất kết nối: phiếu được giữ trên máy này và sẽ tự gửi khi có mạng.',
      sent: 'Đã gửi phiếu đang chờ.',
      sending: 'Đang gửi…',
    },
    en: {
      queued: 'Offline: the sheet is kept on this device and sent when the connection returns.',
      sent: 'The waiting sheet was sent.',
      sending: 'Sending…',
    },
  }[lang];
  const TEXT = {
    queued: form.dataset.textQueued || FALLBACK.queued,
    sent: form.dataset.textSent || FALLBACK.sent,
    sending: form.dataset.textSending || FALLBACK.sending,
  };

  const say = (text) => {
    if (!status) return;
    status.textContent = text;
    status.hidden = !text;
  };
  const readQueue = () => {
    try {
      return JSON.parse(localStorage.getItem(QUEUE) || '{}');
    } catch {
      return {};
    }
  };
  const writeQueue = (queue) => localStorage.setItem(QUEUE, JSON.stringify(queue));
  const newKey = () =>
    crypto.randomUUID
      ? crypto.randomUUID()
      : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;

  // --- the running total ----------------------------------------------------------------------
  const running = form.querySelector('[data-running-total]');
  let points = {};
  try {
    points = JSON.parse(form.dataset.points || '{}');
  } catch {
    points = {};
  }
  function showTotal() {
    if (!running?.dataset.template) return;
    let answered = 0;
    let total = 0;
    for (const [code, options] of Object.entries(points)) {
      const chosen = form.querySelector(`input[type="radio"][name="c/${CSS.escape(code)}"]:checked`);
      if (!chosen) continue;
      answered += 1;
      total += Number(options[Number(chosen.value)] ?? 0);
    }
    const shown = lang === 'vi' ? String(total).replace('.', ',') : String(total);
    running.textContent = running.dataset.template
      .replace('{answered}', String(answered))
      .replace('{total}', shown);
    running.hidden = false;
  }
  form.addEventListener('change', showTotal);
  showTotal();

  // --- saving -----------------------------------------------------------------------------------
  function sheetOf(submit) {
    const data = new FormData(form);
    const choices = {};
    const comments = {};
    const disqualified = [];
    let opinion = null;
    for (const [name, value] of data.entries()) {
      if (typeof value !== 'string') continue;
      if (name.startsWith('c/')) choices[name.slice(2)] = Number(value);
      else if (name.startsWith('m/') && value.trim()) comments[name.slice(2)] = value.trim();
      else if (name === 'disqualified') disqualified.push(value);
      else if (name === 'opinion') opinion = value;
    }
    // a fresh key for each save: a resend of this save is recognised, a later save is not mistaken for it
    return { choices, comments, disqualified, opinion, submit, idempotencyKey: newKey() };
  }

  /** Sends one sheet; resolves with the response, rejects when the network is down. */
  async function send(url, sheet) {
    const res = await fetch(url, {
      method: 'PUT',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'accept-language': lang },
      body: JSON.stringify(sheet),
    });
    // the whole answer before the page moves on: a reload would cut the exchange short
    await res.text();
    return res;
  }

  /** The server is unavailable for now (the sheet stays queued), as opposed to refusing it. */
  const unavailable = (res) => res.status >= 500 || res.status === 429 || res.status === 408;

  let flushing = false;
  async function flush() {
    if (flushing) return;
    const queue = readQueue();
    const urls = Object.keys(queue);
    if (urls.length === 0) return;
    flushing = true;
    say(TEXT.sending);
    try {
      for (const url of urls) {
        let res;
        try {
          res = await send(url, queue[url]);
        } catch {
          say(TEXT.queued);
          return;
        }
        if (unavailable(res)) {
          say(TEXT.queued);
          return;
        }
        // sent (or refused for good: a refusal is shown when the page reloads): out of the queue
        const now = readQueue();
        if (now[url]?.idempotencyKey === queue[url].idempotencyKey) delete now[url];
        writeQueue(now);
        if (!res.ok && url === form.dataset.api) {
          window.location.reload();
          return;
        }
      }
      say(TEXT.sent);
      if (urls.includes(form.dataset.api)) window.location.reload();
    } finally {
      flushing = false;
    }
  }

  function enqueue(url, sheet) {
    const queue = readQueue();
    queue[url] = sheet;
    writeQueue(queue);
    say(TEXT.queued);
  }

  /** A save the server answered supersedes whatever older save of this sheet still waits here. */
  function dequeue(url) {
    const queue = readQueue();
    if (!(url in queue)) return;
    delete queue[url];
    writeQueue(queue);
  }

  let posting = false;
  let sending = false;
  form.addEventListener('submit', async (event) => {
    if (posting) return;
    const submitter = event.submitter;
    const submit = submitter?.value === 'submit';
    // let the browser check a submission is complete; a draft may be partial
    if (submit && !form.checkValidity()) return;
    event.preventDefault();
    // one save at a time: a second tap while the first is on its way does nothing
    if (sending) return;
    sending = true;
    const sheet = sheetOf(submit);
    const url = form.dataset.api;
    try {
      const res = await send(url, sheet);
      if (unavailable(res)) {
        enqueue(url, sheet);
        return;
      }
      // sending an older save later would overwrite this one: it leaves the queue
      dequeue(url);
      if (res.ok) {
        window.location.reload();
        return;
      }
      // a refusal: post the form the ordinary way, so the page shows it next to the fields
      posting = true;
      form.requestSubmit(submitter);
    } catch {
      enqueue(url, sheet);
    } finally {
      sending = false;
    }
  });

  window.addEventListener('online', flush);
  // a server that was unavailable gets the queue again later, without waiting for an 'online' event
  setInterval(() => {
    if (navigator.onLine) flush();
  }, 30_000);
  if (navigator.onLine) flush();
  else if (readQueue()[form.dataset.api]) say(TEXT.queued);
})();
