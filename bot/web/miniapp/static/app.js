/* The storefront Mini App: plain ES2020, no build step. Every word comes from the session's `texts` (bot/locales,
   keys app_*); the server formats money, dates and quotes, so this file only lays them out. */
"use strict";

// ---- Telegram: the SDK inside Telegram (or the tests' stub); a desktop browser reads initData from the hash ----
const TG = window.Telegram && window.Telegram.WebApp;
const INIT_DATA = (() => {
  if (TG && TG.initData) return TG.initData;
  const hash = new URLSearchParams(location.hash.slice(1));
  const raw = hash.get("tgWebAppData");
  if (raw) { sessionStorage.setItem("kb_init", raw); return raw; }
  return sessionStorage.getItem("kb_init") || "";
})();
const NATIVE = Boolean(TG && TG.initData); // Telegram draws MainButton/BackButton; else our own button
const START_PARAM = (TG && TG.initDataUnsafe && TG.initDataUnsafe.start_param)
  || new URLSearchParams(INIT_DATA).get("start_param") || "";

const S = { texts: {}, lang: "id", session: null, catalogue: null, cart: null, checkout: { fulfilment: null, address: "" },
  paid: null };
const $ = (id) => document.getElementById(id);

/** A UI text by key, with {placeholders} filled; the key itself if the server does not know it. */
function t(key, vars) {
  const text = S.texts[key] !== undefined ? S.texts[key] : key;
  return vars ? text.replace(/\{(\w+)\}/g, (m, k) => (vars[k] !== undefined ? String(vars[k]) : m)) : text;
}

/** The only words not from the server: what to say when the server cannot be reached at all. */
function networkError() {
  if (S.texts.app_e_network) return S.texts.app_e_network;
  return S.lang === "en" ? "No connection. Please try again." : "Koneksi terputus. Silakan coba lagi.";
}

// ---- HTTP: every call carries initData; a refusal's message is shown as the server wrote it ----
class ApiError extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}

const EARLY = window.__early || {}; // answers index.html asked for before this file arrived, taken once each

async function api(method, path, body) {
  const init = { method, headers: { Authorization: "tma " + INIT_DATA } };
  if (body !== undefined) { init.body = JSON.stringify(body); init.headers["Content-Type"] = "application/json"; }
  const early = method === "GET" ? EARLY[path] : undefined;
  if (early) delete EARLY[path];
  let response;
  try { response = await (early || fetch("/app/api/" + path, init)); }
  catch (e) { throw new ApiError(0, "network", networkError()); }
  let data = null;
  try { data = await response.json(); } catch (e) { /* not JSON: a proxy's error page */ }
  if (!response.ok) {
    const err = (data && data.error) || {};
    throw new ApiError(response.status, err.code || "http_" + response.status, err.message || networkError());
  }
  return data;
}

/** The payment QR as a blob URL: an <img src> cannot send the Authorization header. */
async function qrBlobUrl(url) {
  let response;
  try { response = await fetch(url, { headers: { Authorization: "tma " + INIT_DATA } }); }
  catch (e) { throw new ApiError(0, "network", networkError()); }
  if (!response.ok) throw new ApiError(response.status, "qr", networkError());
  return URL.createObjectURL(await response.blob());
}

// ---- DOM helpers ----
/** An element with attributes (on* are listeners) and children (strings become text, never HTML). */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

function notice(message, kind) {
  const box = $("notice");
  box.textContent = message || "";
  box.className = "notice" + (kind ? " " + kind : "");
  box.hidden = !message;
}

function showError(e) {
  notice(e instanceof ApiError ? e.message : networkError(), "error");
  if (NATIVE && TG.HapticFeedback) TG.HapticFeedback.notificationOccurred("error");
}

function render(...nodes) {
  const view = $("view");
  view.replaceChildren(...nodes);
}

function loading() { render(h("div", { class: "loading" }, h("span", { class: "spinner" }), t("app_loading"))); }

/** A quantity stepper: big − and + buttons around a number field; onChange gets the new number. */
function stepper(value, min, max, onChange, label) {
  const input = h("input", { type: "number", inputmode: "numeric", min, max: max || null, value, class: "qty",
    "aria-label": label || t("app_quantity") });
  const clamp = (n) => Math.max(min, max ? Math.min(max, n) : n);
  const set = (n) => { const v = clamp(n); input.value = v; onChange(v); };
  input.addEventListener("change", () => set(parseInt(input.value, 10) || min));
  return h("div", { class: "stepper" },
    h("button", { type: "button", class: "step", "aria-label": "−", onclick: () => set((parseInt(input.value, 10) || min) - 1) }, "−"),
    input,
    h("button", { type: "button", class: "step", "aria-label": "+", onclick: () => set((parseInt(input.value, 10) || 0) + 1) }, "+"));
}

// ---- Main button: Telegram's MainButton inside Telegram, an in-page button elsewhere ----
const Main = {
  handler: null,
  set(text, handler) {
    this.off();
    this.handler = handler;
    if (NATIVE) {
      TG.MainButton.setText(text);
      TG.MainButton.onClick(handler);
      TG.MainButton.enable();
      TG.MainButton.show();
    } else {
      $("main-btn").textContent = text;
      $("main-btn").disabled = false;
      $("main-btn-wrap").hidden = false;
    }
  },
  off() {
    if (NATIVE) { if (this.handler) TG.MainButton.offClick(this.handler); TG.MainButton.hideProgress(); TG.MainButton.hide(); }
    else $("main-btn-wrap").hidden = true;
    this.handler = null;
  },
  busy(on) {
    if (NATIVE) { if (on) { TG.MainButton.showProgress(); TG.MainButton.disable(); } else { TG.MainButton.hideProgress(); TG.MainButton.enable(); } }
    else $("main-btn").disabled = on;
  },
};
$("main-btn").addEventListener("click", () => { if (Main.handler) Main.handler(); });
$("notice").addEventListener("click", () => notice(""));

/** Runs the main action once at a time, with the button busy and a refusal shown. */
async function mainAction(fn) {
  Main.busy(true);
  try { await fn(); } catch (e) { showError(e); } finally { Main.busy(false); }
}

// ---- Back button: Telegram's BackButton on inner screens; the header links do the same outside Telegram ----
let backTarget = null;
function onBack() { if (backTarget) go(backTarget); }
function setBack(target) {
  backTarget = target;
  if (!NATIVE) return;
  if (target) TG.BackButton.show(); else TG.BackButton.hide();
}

// ---- Router: #/ home, #/c/ID category, #/p/SKU product, #/cart, #/checkout, #/pay, #/orders ----
function go(route) { if (location.hash === route) route_(); else location.hash = route; }

async function route_() {
  const path = location.hash.replace(/^#/, "") || "/";
  const parts = path.split("/").filter(Boolean);
  notice("");
  Main.off();
  window.scrollTo(0, 0);
  try {
    if (parts[0] === "p" && parts[1]) return await productScreen(decodeURIComponent(parts[1]));
    if (parts[0] === "cart") return await cartScreen();
    if (parts[0] === "checkout") return await checkoutScreen();
    if (parts[0] === "pay") return await paymentScreen();
    if (parts[0] === "orders") return await ordersScreen();
    return await homeScreen(parts[0] === "c" ? parts[1] : null);
  } catch (e) {
    render(h("div", { class: "empty" }, e instanceof ApiError ? e.message : networkError()));
    setBack("#/");
  }
}

// ---- Header: shop title, "Pesanan Saya", cart with its count ----
function setCartCount(n) {
  S.session.cart_count = n;
  $("bar-count").textContent = String(n);
  $("bar-count").hidden = !n;
}

// ---- Home: categories as chips, a grid of products ----
async function homeScreen(categoryId) {
  setBack(null);
  if (!S.catalogue) { loading(); S.catalogue = await api("GET", "catalogue"); }
  const cats = S.catalogue.categories;
  const shown = categoryId ? cats.filter((c) => String(c.id) === String(categoryId)) : cats;
  const chips = h("nav", { class: "chips", "aria-label": t("app_categories") },
    h("a", { href: "#/", class: "chip" + (categoryId ? "" : " on") }, t("app_all")),
    cats.map((c) => h("a", { href: "#/c/" + c.id, class: "chip" + (String(c.id) === String(categoryId) ? " on" : "") }, c.name)));
  const sections = shown.map((c) => h("section", { class: "cat" },
    h("h2", {}, c.name),
    h("div", { class: "grid" }, c.products.map(productCard))));
  render(chips, ...sections);
  performance.mark("app:grid"); // benchmark 8 times the first product card from here (bench/browser.py)
  if (S.session.cart_count) Main.set(t("app_cart") + " (" + S.session.cart_count + ")", () => go("#/cart"));
  const on = chips.querySelector(".on");
  if (on && on.scrollIntoView) on.scrollIntoView({ block: "nearest", inline: "center" });
}

function productCard(p) {
  const pic = p.thumb
    ? h("img", { src: p.thumb, alt: "", loading: "lazy", decoding: "async", width: 320, height: 320 })
    : h("div", { class: "nophoto", "aria-hidden": "true" });
  return h("a", { href: "#/p/" + encodeURIComponent(p.sku), class: "card", "data-sku": p.sku },
    h("div", { class: "pic" }, pic),
    h("div", { class: "card-name" }, p.name),
    h("div", { class: "price" }, priceParts(p.price_text)));
}

/** "Rp3.500/pcs" as the amount in bold and the unit beside it, lighter (it may wrap there). */
function priceParts(text) {
  const cut = text.indexOf("/");
  return cut < 0 ? [text] : [text.slice(0, cut), h("span", { class: "unit" }, text.slice(cut))];
}

// ---- Product: photos, then what the family needs (bread dates and slots, paving calculator, goods stock) ----
async function productScreen(sku) {
  setBack("#/");
  loading();
  const p = await api("GET", "products/" + encodeURIComponent(sku));
  const photos = p.photos.length ? gallery(p)
    : h("div", { class: "photos" }, h("div", { class: "nophoto big", "aria-hidden": "true" }));
  const head = h("div", { class: "pad" },
    h("h1", {}, p.name),
    h("div", { class: "price big" }, p.price_text),
    p.description ? h("p", { class: "desc" }, p.description) : null,
    p.facts.length ? h("ul", { class: "facts" }, p.facts.map((f) => h("li", {}, f))) : null);
  const body = p.family === "paving" ? pavingPart(p) : p.family === "bread" ? breadPart(p) : goodsPart(p);
  render(photos, head, body);
}

/** Every photo in a horizontal scroller (swipe), with "2/3" in the corner when there are several. */
function gallery(p) {
  const strip = h("div", { class: "photos" }, p.photos.map((ph, i) =>
    h("img", { src: ph.full, alt: p.name + " " + (i + 1), loading: i ? "lazy" : "eager", decoding: "async" })));
  if (p.photos.length < 2) return strip;
  const count = h("span", { class: "photo-count", "aria-hidden": "true" }, "1/" + p.photos.length);
  strip.addEventListener("scroll", () => {
    count.textContent = Math.round(strip.scrollLeft / strip.clientWidth) + 1 + "/" + p.photos.length;
  }, { passive: true });
  return h("div", { class: "gallery" }, strip, count);
}

/** Bread: a calendar of pickup dates (closed ones greyed with the reason), the slots left, a quantity. */
function breadPart(p) {
  const pick = { date: null, slot: null, qty: p.min_qty || 1 };
  const slotsBox = h("div", { class: "slots", id: "slots" });
  const dates = (p.dates || []).map((d) => {
    const btn = h("button", { type: "button", class: "day", disabled: !d.available, "data-date": d.date,
      title: d.available ? d.label_long : d.label_long + ": " + (d.reason || ""),
      "aria-pressed": "false" },
    h("span", { class: "day-label" }, d.label),
    d.available
      ? (d.remaining !== null && d.remaining !== undefined ? h("small", {}, t("app_slot_left") + " " + d.remaining + " " + p.unit) : null)
      : h("small", { class: "why" }, d.reason || ""));
    btn.addEventListener("click", async () => {
      for (const b of document.querySelectorAll(".day")) b.setAttribute("aria-pressed", String(b === btn));
      pick.date = d.date; pick.slot = null;
      $("picked-date").textContent = d.label_long;
      await loadSlots(p, d.date, slotsBox, pick);
    });
    return btn;
  });
  ready();
  return h("div", { class: "pad" },
    h("h3", {}, t("app_pickup_date")),
    h("div", { class: "calendar" }, dates),
    h("p", { class: "muted", id: "picked-date" }),
    h("h3", {}, t("app_pickup_slot")),
    slotsBox,
    h("h3", {}, t("app_quantity")),
    stepper(pick.qty, p.min_qty || 1, p.max_qty, (v) => { pick.qty = v; }));

  function ready() {
    Main.set(t("app_add_to_cart"), () => mainAction(async () => {
      if (!pick.date) { notice(t("app_choose_date"), "error"); return; }
      if (slotsBox.querySelector(".slot") && !pick.slot) { notice(t("app_pickup_slot"), "error"); return; }
      const body = { sku: p.sku, qty: pick.qty, date: pick.date };
      if (pick.slot) body.slot_id = pick.slot;
      await addToCart(body);
    }));
  }
}

async function loadSlots(p, date, box, pick) {
  box.replaceChildren(h("span", { class: "spinner" }));
  try {
    const { slots } = await api("GET", "products/" + encodeURIComponent(p.sku) + "/slots?date=" + encodeURIComponent(date));
    box.replaceChildren(...(slots.length ? slots.map((s) => h("button", {
      type: "button", class: "slot", "data-slot": s.id, "aria-pressed": "false", disabled: s.remaining === 0,
      onclick: (ev) => {
        for (const b of box.querySelectorAll(".slot")) b.setAttribute("aria-pressed", String(b === ev.currentTarget));
        pick.slot = s.id;
      } }, h("span", {}, s.label), h("small", {}, t("app_slot_left") + " " + s.remaining))) : []));
  } catch (e) { box.replaceChildren(); showError(e); }
}

/** Paving: area in m2, length x width, or pieces; the server answers with the chat's own quote lines. */
function pavingPart(p) {
  let mode = "m2";
  let quote = null;
  const fields = h("div", { class: "fields" });
  const echo = h("div", { class: "echo", id: "echo", "aria-live": "polite" });
  const tabs = h("div", { class: "tabs", role: "tablist" }, [["m2", "app_paving_area"], ["size", "app_paving_dims"], ["pcs", "app_paving_pieces"]]
    .map(([m, key]) => h("button", { type: "button", role: "tab", class: "tab", "data-mode": m, "aria-selected": String(m === mode),
      onclick: () => { mode = m; for (const b of tabs.children) b.setAttribute("aria-selected", String(b.dataset.mode === m)); draw(); } },
    t(key))));
  const num = (name, label) => h("label", { class: "field" }, h("span", {}, label),
    h("input", { type: "text", inputmode: "decimal", name, autocomplete: "off", enterkeyhint: "done",
      onkeydown: (e) => { if (e.key === "Enter") calc(); } }));
  function draw() {
    quote = null; echo.replaceChildren(); Main.off();
    if (mode === "m2") fields.replaceChildren(num("m2", "m²"));
    else if (mode === "pcs") fields.replaceChildren(num("pcs", t("app_paving_pieces")));
    else fields.replaceChildren(h("div", { class: "row" }, num("length", "m"), h("span", { class: "x" }, "×"), num("width", "m")));
  }
  function input() {
    const v = (n) => (fields.querySelector(`[name=${n}]`).value || "").trim().replace(",", ".");
    if (mode === "m2") return v("m2") ? v("m2") + " m2" : "";
    if (mode === "size") return v("length") && v("width") ? v("length") + "x" + v("width") : "";
    return v("pcs") ? v("pcs") + " biji" : "";
  }
  async function calc() {
    const text = input();
    if (!text) { notice(t("app_paving_hint"), "error"); return; }
    notice("");
    try {
      quote = await api("POST", "paving/quote", { sku: p.sku, input: text });
      quote.input = text;
      echo.replaceChildren(h("ul", { class: "lines" }, quote.lines.map((l) => h("li", {}, l))));
      Main.set(t("app_add_to_cart"), () => mainAction(() => addToCart({ sku: p.sku, qty: quote.pieces, paving_input: quote.input })));
    } catch (e) { quote = null; echo.replaceChildren(); Main.off(); showError(e); }
  }
  draw();
  return h("div", { class: "pad" },
    h("h3", {}, t("app_paving_calc")),
    tabs, fields,
    h("p", { class: "muted" }, t("app_paving_hint")),
    h("button", { type: "button", class: "btn", id: "calc", onclick: calc }, t("app_compute")),
    echo);
}

/** Goods: what is on hand (or when it is ready), a quantity. */
function goodsPart(p) {
  const pick = { qty: p.min_qty || 1 };
  const stock = p.stock
    ? h("p", { class: "stock" }, p.stock.on_hand > 0 ? t("app_stock_left") + ": " + p.stock.on_hand : t("app_sold_out"))
    : null;
  Main.set(t("app_add_to_cart"), () => mainAction(() => addToCart({ sku: p.sku, qty: pick.qty })));
  return h("div", { class: "pad" },
    stock,
    h("h3", {}, t("app_quantity")),
    stepper(pick.qty, p.min_qty || 1, p.max_qty || (p.stock ? p.stock.on_hand : null), (v) => { pick.qty = v; }));
}

async function addToCart(body) {
  S.cart = await api("POST", "cart", body);
  setCartCount(S.cart.count);
  if (NATIVE && TG.HapticFeedback) TG.HapticFeedback.impactOccurred("light");
  notice(t("app_added"), "ok");
  Main.set(t("app_cart"), () => go("#/cart"));
}

// ---- Cart: groups per fulfilment with the reason, quantities, remove ----
async function cartScreen() {
  setBack("#/");
  loading();
  drawCart(await api("GET", "cart"));
}

function drawCart(cart) {
  S.cart = cart;
  setCartCount(cart.count);
  if (!cart.groups.length) {
    render(h("div", { class: "empty" }, h("p", {}, t("app_cart_empty")), h("a", { class: "btn", href: "#/" }, t("app_back"))));
    return;
  }
  const change = (fn) => async (...args) => {
    try { drawCart(await fn(...args)); } catch (e) { showError(e); }
  };
  const groups = cart.groups.map((g) => h("section", { class: "group" },
    h("h2", {}, g.title),
    g.reason ? h("p", { class: "muted" }, g.reason) : null,
    h("ul", { class: "items" }, g.items.map((it) => h("li", { class: "item", "data-item": it.id },
      h("div", { class: "item-head" }, h("span", { class: "item-name" }, it.name), h("b", {}, it.subtotal_text)),
      h("div", { class: "item-foot" },
        h("span", { class: "muted" }, it.qty_text),
        stepper(it.qty, 1, null, change((v) => api("PATCH", "cart/" + it.id, { qty: v }))),
        h("button", { type: "button", class: "link danger", onclick: change(() => api("DELETE", "cart/" + it.id)) }, t("app_remove")))))),
    g.subtotal_text ? h("p", { class: "subtotal" }, g.subtotal_text) : null));
  render(...groups, h("div", { class: "total pad" }, h("span", {}, t("app_total")), h("b", {}, cart.total_text)));
  Main.set(t("app_order_now"), () => go("#/checkout"));
}

// ---- Checkout: phone (Telegram's contact request), pickup or delivery, summary, Konfirmasi ----
async function checkoutScreen() {
  setBack("#/cart");
  loading();
  const body = {};
  if (S.checkout.fulfilment) body.fulfilment = S.checkout.fulfilment;
  if (S.checkout.address) body.address = S.checkout.address;
  const sum = await api("POST", "checkout/summary", body);
  if (!sum.groups.length) return go("#/cart");
  if (sum.need === "phone") return drawPhone();
  if (sum.need === "fulfilment" || sum.need === "address") return drawFulfilment(sum);
  return drawSummary(sum);
}

function drawPhone() {
  const page = [h("h1", {}, t("app_phone")), h("p", { class: "consent" }, t("app_consent"))];
  if (!NATIVE) {
    // A desktop browser (the demo link) has no Telegram to ask: the chat's contact key gives the phone instead.
    render(h("div", { class: "pad" }, ...page, h("p", { class: "muted", id: "phone-in-chat" }, t("app_phone_in_chat"))));
    Main.set(t("app_retry"), () => mainAction(checkoutScreen));
    return;
  }
  render(h("div", { class: "pad" }, ...page));
  Main.set(t("app_share_phone"), () => TG.requestContact((shared, response) => {
    // Telegram signs what the user shared; the server checks that signature, so the raw string is sent as is.
    if (!shared || !response || !response.response) { notice(t("app_consent"), "error"); return; }
    mainAction(async () => {
      const { phone } = await api("POST", "phone", { contact: response.response });
      S.session.phone = phone;
      await checkoutScreen();
    });
  }));
}

function drawFulfilment(sum) {
  const choice = S.checkout.fulfilment || "pickup";
  const address = h("textarea", { id: "address", rows: 3, autocomplete: "street-address", placeholder: t("app_address_hint") });
  address.value = S.checkout.address || "";
  const addrBox = h("label", { class: "field", hidden: choice !== "delivery" }, h("span", {}, t("app_address")), address);
  const radio = (value, key) => h("label", { class: "choice" },
    h("input", { type: "radio", name: "fulfilment", value, checked: choice === value,
      onchange: () => { addrBox.hidden = value !== "delivery"; } }),
    h("span", {}, t(key)));
  render(h("div", { class: "pad" },
    h("h1", {}, t("app_fulfilment")),
    sum.lines && sum.lines.length ? h("p", { class: "muted desc" }, sum.lines.join("\n")) : null,
    radio("pickup", "app_pickup"), radio("delivery", "app_delivery"), addrBox));
  Main.set(t("app_summary"), () => mainAction(async () => {
    const picked = document.querySelector("input[name=fulfilment]:checked").value;
    if (picked === "delivery" && !address.value.trim()) { notice(t("app_address_hint"), "error"); return; }
    S.checkout.fulfilment = picked;
    S.checkout.address = picked === "delivery" ? address.value.trim() : "";
    await checkoutScreen();
  }));
}

// Someone who opened the shop from a shared link and never started the bot cannot get its messages (the QR photo,
// "Lunas", reminders): Telegram asks them once, before the first order. Whatever they answer, the order goes on.
function askToWrite() {
  const user = NATIVE && TG.initDataUnsafe && TG.initDataUnsafe.user;
  if (!user || user.allows_write_to_pm || typeof TG.requestWriteAccess !== "function") return Promise.resolve();
  if (TG.isVersionAtLeast && !TG.isVersionAtLeast("6.9")) return Promise.resolve(); // older clients lack the popup
  return new Promise((resolve) => TG.requestWriteAccess(() => resolve()));
}

function drawSummary(sum) {
  render(
    h("div", { class: "pad" }, h("h1", {}, t("app_summary"))),
    ...sum.groups.map((g) => h("section", { class: "group" }, h("h2", {}, g.title),
      g.reason ? h("p", { class: "muted" }, g.reason) : null,
      h("ul", { class: "items" }, g.items.map((it) => h("li", { class: "item" },
        h("div", { class: "item-head" }, h("span", { class: "item-name" }, it.qty_text + " " + it.name), h("b", {}, it.subtotal_text))))),
      g.deposit_text ? h("p", { class: "muted" }, g.deposit_text) : null)),
    h("div", { class: "pad summary" }, h("ul", { class: "lines" }, (sum.lines || []).map((l) => h("li", {}, l))),
      h("div", { class: "total" }, h("span", {}, t("app_total")), h("b", {}, sum.total_text)),
));
  Main.set(t("app_confirm"), () => mainAction(async () => {
    await askToWrite();
    try { S.paid = await api("POST", "checkout/confirm", { token: sum.token }); } catch (e) {
      // Capacity gone or the cart changed meanwhile: nothing was placed; show why over a fresh summary.
      if (e instanceof ApiError && e.status === 409) { await checkoutScreen(); showError(e); return; }
      throw e;
    }
    S.checkout = { fulfilment: null, address: "" };
    setCartCount(0);
    if (NATIVE && TG.HapticFeedback) TG.HapticFeedback.notificationOccurred("success");
    go("#/pay");
  }));
}

// ---- Payment: the QR fetched with the auth header, amount, deadline, "also sent to the chat" ----
async function paymentScreen() {
  setBack("#/orders");
  if (!S.paid) return go("#/orders");
  const { orders, payments } = S.paid;
  const cards = payments.map((pay) => {
    const img = h("img", { class: "qr", alt: t("app_scan_qris"), "data-payment": pay.id, width: 280, height: 280 });
    qrBlobUrl(pay.qr_url).then((u) => { img.src = u; }).catch(showError);
    return h("section", { class: "pay-card" },
      h("h2", {}, pay.order_code),
      h("div", { class: "amount" }, pay.amount_text),
      h("p", {}, t("app_scan_qris")),
      img,
      h("p", { class: "deadline" }, t("app_pay_before") + " " + pay.deadline_text),
      h("p", { class: "muted" }, t("app_code_in_chat")));
  });
  // A gateway that made no code yet: the orders stand, the chat got "Coba lagi".
  const waiting = (S.paid.waiting || []).map((code) => h("section", { class: "pay-card", "data-waiting": code },
    h("h2", {}, code), h("p", {}, t("app_code_waiting"))));
  render(h("div", { class: "pad" }, h("h1", {}, t("app_placed")),
    h("ul", { class: "lines" }, orders.map((o) => h("li", {}, [o.code, o.status_text, o.date_text, o.total_text].filter(Boolean).join(" · "))))),
  ...cards, ...waiting);
  Main.set(t("app_my_orders"), () => go("#/orders"));
}

// ---- "Pesanan Saya": newest first, with status; an unpaid one shows its QR again ----
async function ordersScreen() {
  setBack("#/");
  loading();
  const { orders } = await api("GET", "orders");
  if (!orders.length) { render(h("div", { class: "empty" }, h("p", {}, t("app_orders_empty")), h("a", { class: "btn", href: "#/" }, t("app_back")))); return; }
  render(h("div", { class: "pad" }, h("h1", {}, t("app_my_orders"))),
    h("ul", { class: "orders" }, orders.map((o) => {
      const qr = h("div", { class: "order-qr" });
      return h("li", { class: "order", "data-code": o.code },
        h("div", { class: "item-head" }, h("b", {}, o.code), h("span", { class: "status status-" + o.status }, o.status_text)),
        h("div", { class: "muted" }, o.date_text),
        h("ul", { class: "order-items" }, o.items_text.map((x) => h("li", {}, x))),
        h("div", { class: "item-head" }, h("span", {}, t("app_total")), h("b", {}, o.total_text)),
        o.code_waiting ? h("p", { class: "muted" }, t("app_code_waiting")) : o.payable && o.payment_id ? h("button", { type: "button", class: "btn", onclick: async (ev) => {
          ev.currentTarget.hidden = true;
          try { qr.replaceChildren(h("img", { class: "qr", alt: t("app_scan_qris"), src: await qrBlobUrl("/app/api/payments/" + o.payment_id + "/qr.png") })); }
          catch (e) { showError(e); }
        } }, t("app_pay")) : null,
        qr);
    })));
}

// ---- Start: the session (registers the buyer, brings the texts), the header, then the first screen ----
async function boot() {
  if (NATIVE) {
    TG.ready();
    TG.expand();
    TG.BackButton.onClick(onBack);
    document.documentElement.dataset.scheme = TG.colorScheme || "light";
    document.documentElement.classList.add("native"); // Telegram draws the main button below the page
  }
  // Without a session the shell's header leads nowhere: it goes, and the reason stays.
  if (!INIT_DATA) { $("bar").hidden = true; render(h("div", { class: "empty" }, "Telegram?")); return; }
  try { S.session = await api("GET", "session"); } catch (e) {
    $("bar").hidden = true;
    render(h("div", { class: "empty" }, e instanceof ApiError ? e.message : networkError()));
    return;
  }
  S.texts = S.session.texts || {};
  S.lang = S.session.lang || "id";
  document.documentElement.lang = S.lang;
  document.title = t("app_title");
  $("bar-title").textContent = t("app_title");
  $("bar-orders").textContent = t("app_my_orders");
  $("bar-cart").setAttribute("aria-label", t("app_cart"));
  $("bar-cart").title = t("app_cart");
  setCartCount(S.session.cart_count || 0);
  window.addEventListener("hashchange", route_);
  // A launch hash (Telegram's or the desktop link's) carries initData: replace it by the first route, so it
  // leaves the address bar and the history; a deep link (start_param p_SKU) opens that product first.
  if (!location.hash.startsWith("#/")) {
    const first = START_PARAM.startsWith("p_") ? "#/p/" + encodeURIComponent(START_PARAM.slice(2)) : "#/";
    history.replaceState(null, "", location.pathname + location.search + first);
  }
  route_();
}

boot();
