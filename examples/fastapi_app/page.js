// The chat page's script. The answer's HTML comes rendered (and escaped) by the server;
// everything else from the API is put in the page as text or as checked attributes.
// Read the answer with fetch and a stream reader rather than EventSource: EventSource
// reconnects by itself when a stream ends, which here would ask the question again.
const transcript = document.getElementById("transcript");
const form = document.getElementById("ask");
const input = document.getElementById("question");
const detailed = document.getElementById("detailed");
const send = document.getElementById("send");
let sessionId = null;
window.__tokenTimes = [];   // performance.now() of each token shown (read by the tests)
window.__state = "idle";    // idle | streaming | done | error

function bubble(kind, text) {
  const el = document.createElement("div");
  el.className = "msg " + kind;
  el.textContent = text;
  transcript.appendChild(el);
  return el;
}

function answerBubble() {
  const el = bubble("assistant", "");
  const thumbs = document.createElement("div");
  thumbs.className = "thumbs";
  const body = document.createElement("div");
  body.className = "answer";
  el.append(thumbs, body);
  return { el, thumbs, body };
}

function thumbnail(image) {
  // A thumbnail linking to the larger view; both addresses are http(s) (checked by the server).
  const figure = document.createElement("figure");
  figure.className = "thumb";
  const link = document.createElement("a");
  link.href = image.url;
  link.target = "_blank";
  link.rel = "noopener";
  const img = document.createElement("img");
  img.src = image.thumbnail_url;
  img.alt = image.name;
  img.width = 160;
  img.height = 120;
  const caption = document.createElement("figcaption");
  caption.textContent = image.name;
  link.appendChild(img);
  figure.append(link, caption);
  return figure;
}

function handle(event, data, answer) {
  if (event === "session") {
    sessionId = data.session_id;
  } else if (event === "image") {
    answer.thumbs.appendChild(thumbnail(data));
  } else if (event === "token") {
    answer.body.innerHTML = data.html;  // the answer so far, rendered by the server
    window.__tokenTimes.push(performance.now());
  } else if (event === "done") {
    answer.body.innerHTML = data.html;  // the final answer, reference counts filled in
    window.__state = "done";
  } else if (event === "error") {
    answer.el.classList.add("error");
    const text = document.createElement("div");
    text.className = "error-text";
    text.textContent = data.message;
    answer.el.appendChild(text);
    window.__state = "error";
  }
}

async function ask(question) {
  bubble("user", question);
  const answer = answerBubble();
  window.__state = "streaming";
  const params = new URLSearchParams({ q: question });
  if (sessionId) params.set("session_id", sessionId);
  if (detailed.checked) params.set("detailed", "true");
  try {
    const response = await fetch("/ask?" + params, { headers: { Accept: "text/event-stream" } });
    if (!response.ok) throw new Error("HTTP " + response.status);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = "message", data = "";
        for (const line of block.split("\n")) {
          if (line.startsWith("event: ")) event = line.slice(7);
          else if (line.startsWith("data: ")) data += line.slice(6);
        }
        handle(event, JSON.parse(data), answer);
      }
    }
    if (window.__state === "streaming") throw new Error("the answer was cut off");
  } catch (err) {
    handle("error", { message: String(err.message || err) }, answer);
  }
}

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  const question = input.value.trim();
  if (!question) return;
  input.value = "";
  input.disabled = send.disabled = true;
  try { await ask(question); } finally { input.disabled = send.disabled = false; input.focus(); }
});
