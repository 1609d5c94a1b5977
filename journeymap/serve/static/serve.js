// journeymap serve: live journey pages. No dependencies, nothing from the network.
"use strict";

(() => {
  const body = document.body;
  const name = body.dataset.journey || "";
  const enc = (text) => text.split("/").map(encodeURIComponent).join("/");
  const changes = new Map(); // path -> value, in the order first moved
  const DRAW_DELAY_MS = 300;
  let inflight = false;
  let pending = false;
  let drawTimer = null;
  let drawSeq = 0;
  let slide = 0;

  const $ = (selector) => document.querySelector(selector);
  // Every text shown comes from the server, in the journey's language: a JSON block in the
  // page (#texts), renewed with each fragment. "{name}" placeholders are filled here.
  const texts = () => {
    const block = $("#texts");
    return block ? JSON.parse(block.textContent) : {};
  };
  const say = (key, values = {}) =>
    String(texts()[key] || key).replace(/\{(\w+)\}/g, (whole, field) =>
      field in values ? String(values[field]) : whole,
    );
  const decimals = (value, digits) =>
    new Intl.NumberFormat(texts().lang || "en", {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(value);
  const status = (text) => {
    const out = $("#status");
    if (out) out.textContent = text;
  };
  const payload = () => ({
    changes: [...changes].map(([path, value]) => ({ set: { path, value } })),
  });
  const post = (url, data) =>
    fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(data),
      cache: "no-store",
    });

  // -- the live fragment ----------------------------------------------------------------

  function depends() {
    const fragment = $(".fragment");
    return fragment ? (fragment.dataset.depends || "").split(" ").filter(Boolean) : [name];
  }

  async function refresh(touchpoint) {
    const pick = $("#touchpoint");
    const chosen = touchpoint || (pick ? pick.value : "");
    const query = chosen ? `?touchpoint=${encodeURIComponent(chosen)}` : "";
    const response = await fetch(`/api/fragment/${enc(name)}${query}`, { cache: "no-store" });
    $("#live").innerHTML = await response.text();
    changes.clear();
    wire();
    showSlide();
    body.dataset.version = String(Number(body.dataset.version || "0") + 1);
  }

  function wire() {
    for (const input of document.querySelectorAll(".sliders input[type=range]")) {
      const path = input.dataset.path;
      if (changes.has(path)) input.value = String(changes.get(path));
      input.nextElementSibling.textContent = decimals(Number(input.value), 2);
      input.addEventListener("input", () => moved(input));
    }
    const pick = $("#touchpoint");
    if (pick) pick.addEventListener("change", () => controls(pick.value));
    const reset = $("#reset");
    if (reset) reset.addEventListener("click", () => refresh());
    const save = $("#save");
    if (save) save.addEventListener("click", saveScenario);
  }

  async function controls(touchpoint) {
    const response = await fetch(
      `/api/controls/${enc(name)}?touchpoint=${encodeURIComponent(touchpoint)}`,
      { cache: "no-store" },
    );
    if (!response.ok) return;
    const holder = document.createElement("div");
    holder.innerHTML = await response.text();
    $("#whatif").replaceWith(holder.firstElementChild);
    wire();
    showSlide();
  }

  // -- what-if sliders ------------------------------------------------------------------

  function current(input) {
    const path = input.dataset.path;
    return changes.has(path) ? changes.get(path) : Number(input.dataset.initial);
  }

  function moved(input) {
    const value = Number(input.value);
    input.nextElementSibling.textContent = decimals(value, 2);
    if (input.dataset.group === "segments") {
      // Shares add up to 1: the other segments keep their proportions of what is left.
      const others = [...document.querySelectorAll("input[data-group=segments]")].filter(
        (other) => other !== input,
      );
      const before = others.map(current);
      const sum = before.reduce((a, b) => a + b, 0);
      others.forEach((other, i) => {
        const share = sum > 0 ? (before[i] * (1 - value)) / sum : (1 - value) / others.length;
        changes.set(other.dataset.path, share);
        other.value = String(share);
        other.nextElementSibling.textContent = decimals(share, 2);
      });
    }
    changes.set(input.dataset.path, value);
    recompute();
  }

  async function recompute() {
    if (inflight) {
      pending = true;
      return;
    }
    inflight = true;
    const sent = payload();
    try {
      const response = await post(`/api/whatif/${enc(name)}`, sent);
      const data = await response.json();
      if (!response.ok) {
        status(data.error);
        body.dataset.whatif = "refused";
        return;
      }
      const numbers = $("#numbers");
      numbers.innerHTML = data.numbers;
      $("#details").innerHTML = data.details;
      numbers.dataset.changes = JSON.stringify(sent.changes);
      body.dataset.whatif = "ok";
      status(say("recomputed", { ms: decimals(data.ms, 0) }));
      showSlide();
      scheduleDrawing();
    } catch (error) {
      status(say("no-answer", { error }));
    } finally {
      inflight = false;
      if (pending) {
        pending = false;
        recompute();
      }
    }
  }

  function scheduleDrawing() {
    const drawing = $("#drawing");
    if (drawing) drawing.classList.add("redrawing");
    clearTimeout(drawTimer);
    drawTimer = setTimeout(async () => {
      const seq = ++drawSeq;
      const response = await post(`/api/drawing/${enc(name)}`, payload());
      const html = await response.text();
      const target = $("#drawing");
      if (seq !== drawSeq || !response.ok || !target) return;
      target.innerHTML = html;
      target.classList.remove("redrawing");
      showSlide();
    }, DRAW_DELAY_MS);
  }

  async function saveScenario() {
    if (changes.size === 0) {
      status(say("nothing-to-save"));
      return;
    }
    const response = await post(`/api/scenario/${enc(name)}`, payload());
    const data = await response.json();
    if (!response.ok) {
      status(data.error);
      return;
    }
    body.dataset.saved = data.file;
    status(say("saved", { file: data.file }));
  }

  // -- presenter view -------------------------------------------------------------------

  function slides() {
    return [...document.querySelectorAll("#live section.slide")];
  }

  function showSlide() {
    const all = slides();
    slide = Math.max(0, Math.min(slide, all.length - 1));
    all.forEach((section, i) => section.classList.toggle("current", i === slide));
  }

  function present(on) {
    body.classList.toggle("present", on);
    showSlide();
  }

  document.addEventListener("keydown", (event) => {
    if (!body.classList.contains("present")) return;
    if (event.target.closest && event.target.closest("input, select, textarea")) return;
    const forward = ["ArrowRight", "ArrowDown", "PageDown", " "];
    const back = ["ArrowLeft", "ArrowUp", "PageUp"];
    if (forward.includes(event.key)) slide += 1;
    else if (back.includes(event.key)) slide -= 1;
    else if (event.key === "Escape") present(false);
    else return;
    event.preventDefault();
    showSlide();
  });

  // -- changes on disk ------------------------------------------------------------------

  function listen() {
    const live = $("#live-state");
    const source = new EventSource("/events");
    source.onopen = () => {
      body.dataset.live = "on";
      if (live) live.textContent = say("live");
    };
    source.onerror = () => {
      body.dataset.live = "off";
      if (live) live.textContent = say("reconnecting");
    };
    source.onmessage = async (event) => {
      const names = JSON.parse(event.data);
      if (body.dataset.page === "index") {
        const response = await fetch("/api/index", { cache: "no-store" });
        $("#index").innerHTML = await response.text();
      } else if (names.some((changed) => depends().includes(changed))) {
        await refresh();
      }
    };
  }

  const button = $("#present");
  if (button) button.addEventListener("click", () => present(!body.classList.contains("present")));
  if (new URLSearchParams(location.search).has("present")) present(true);
  if (body.dataset.page === "journey") wire();
  showSlide();
  listen();
})();
