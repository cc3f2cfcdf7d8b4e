/* The managers' weekly dashboard: plain ES2020, no build step, read-only. Words come from the session's `texts`
   (keys app_mgr_*), figures and their texts from GET /app/api/manager/weekly; this file only lays them out. */
"use strict";

const TG = window.Telegram && window.Telegram.WebApp;
const INIT_DATA = (() => {  // inside Telegram the SDK has it; a desktop browser reads it from the address's hash
  if (TG && TG.initData) return TG.initData;
  const raw = new URLSearchParams(location.hash.slice(1)).get("tgWebAppData");
  if (raw) { sessionStorage.setItem("kb_init", raw); return raw; }
  return sessionStorage.getItem("kb_init") || "";
})();
const $ = (id) => document.getElementById(id);
let texts = {};
const t = (key) => (texts[key] !== undefined ? texts[key] : key);

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function api(path) {
  let response, data = null;
  try { response = await fetch("/app/api/" + path, { headers: { Authorization: "tma " + INIT_DATA } }); }
  catch (e) { throw new ApiError(0, texts.app_e_network || "Koneksi terputus. Silakan coba lagi."); }
  try { data = await response.json(); } catch (e) { /* not JSON: a proxy's error page */ }
  if (!response.ok) {
    const message = data && data.error && data.error.message;
    throw new ApiError(response.status, message || texts.app_e_network || "HTTP " + response.status);
  }
  return data;
}

/** An element with attributes and children (strings become text, never HTML). */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v); else el.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}
const SVG = "http://www.w3.org/2000/svg";
function s(tag, attrs, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

function notice(message, kind) {
  const box = $("notice");
  box.textContent = message || "";
  box.className = "notice" + (kind ? " " + kind : "");
  box.hidden = !message;
}

function card(label, value, sub, cls) {
  return h("div", { class: "card" + (cls ? " " + cls : "") },
    h("div", { class: "label" }, label), h("div", { class: "value" }, value), sub ? h("div", { class: "sub" }, sub) : null);
}

/** Sales per day as seven SVG bars, each labelled with its short date; the amount is the bar's tooltip. */
function dayChart(days) {
  const top = Math.max(1, ...days.map((d) => d.revenue));
  const W = 336, H = 120, base = 100, slot = W / days.length, width = slot * 0.6;
  const svg = s("svg", { class: "chart", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": t("app_mgr_per_day") });
  days.forEach((d, i) => {
    const height = Math.round((d.revenue / top) * (base - 16));
    const x = i * slot + (slot - width) / 2;
    const bar = s("rect", { x, y: base - height, width, height: Math.max(height, 1), rx: 3, "data-date": d.date });
    bar.append(s("title", {}, `${d.label}: ${d.revenue_text}`));
    svg.append(bar, s("text", { x: i * slot + slot / 2, y: H - 6, "text-anchor": "middle" }, d.label.split(" ")[0]));
  });
  return svg;
}

/** Per category: this week's bar over the week before's thin bar, both on one scale. */
function categoryBars(categories) {
  const top = Math.max(1, ...categories.flatMap((c) => [c.revenue, c.prev_revenue]));
  const pct = (n) => Math.round((n / top) * 100) + "%";
  return categories.map((c) => h("div", { class: "cat" },
    h("div", { class: "row" }, h("span", {}, c.name), h("b", {}, c.revenue_text)),
    h("div", { class: "bar", style: `width:${pct(c.revenue)}`, title: t("app_mgr_this_week") }),
    h("div", { class: "bar last", style: `width:${pct(c.prev_revenue)}`, title: t("app_mgr_last_week") + " " + c.prev_revenue_text }),
    c.change_text ? h("div", { class: "legend" }, c.change_text) : null));
}

function render(w) {
  $("weeks").hidden = false;
  $("span").textContent = w.title_text;
  $("week").value = w.week;
  $("next").disabled = !w.next_week;
  $("prev").dataset.week = w.prev_week;
  $("next").dataset.week = w.next_week || "";
  notice(w.complete ? "" : t("app_mgr_incomplete"));
  const trend = w.change_pct === null ? "" : w.change_pct >= 0 ? "up" : "down";
  const paid = w.orders.paid, unpaid = w.orders.unpaid;
  const view = $("view");
  view.replaceChildren(
    h("section", { class: "cards" },
      card(t("app_mgr_revenue"), w.revenue_text, h("span", { class: trend }, w.change_text), "wide revenue"),
      card(t("app_mgr_units"), w.units_text),
      card(t("app_mgr_received"), w.received_text),
      card(t("app_mgr_paid"), paid.amount_text, paid.orders_text),
      card(t("app_mgr_unpaid"), unpaid.amount_text, unpaid.orders_text)),
    h("section", { class: "box" }, h("h2", {}, t("app_mgr_per_day")),
      w.revenue ? dayChart(w.days) : h("p", { class: "legend" }, t("app_mgr_no_sales"))),
    w.categories.length ? h("section", { class: "box" }, h("h2", {}, t("app_mgr_per_category")),
      h("div", { class: "legend" }, h("i", {}), t("app_mgr_this_week"), h("i", { class: "last" }), t("app_mgr_last_week")),
      categoryBars(w.categories)) : null,
    h("h2", {}, t("app_mgr_details")),
    ...w.sections.map((sec) => h("section", { class: "box section", "data-key": sec.key },
      sec.lines.map((line) => h("p", {}, line)))));
}

async function load(week) {
  const query = week ? "?week=" + encodeURIComponent(week) : "";
  try {
    render(await api("manager/weekly" + query));
    const url = new URL(location.href);  // the week in the address, the hash (desktop initData) kept
    if (week) url.searchParams.set("week", week); else url.searchParams.delete("week");
    history.replaceState(null, "", url);
  } catch (e) {
    notice(e.message, "error");
    if (e.status === 401 || e.status === 403) { $("weeks").hidden = true; $("view").replaceChildren(); }
    else if (!$("view").querySelector(".cards")) $("view").replaceChildren();
  }
}

function pick(week) {
  if (!week) return;
  if (TG && TG.HapticFeedback) TG.HapticFeedback.selectionChanged();
  load(week);
}

async function boot() {
  if (TG) { TG.ready(); TG.expand(); }
  try {
    const session = await api("session");
    texts = session.texts;
    document.documentElement.lang = session.lang;
  } catch (e) {
    notice(e.message, "error");
    $("view").replaceChildren();
    return;
  }
  document.title = $("title").textContent = t("app_mgr_title");
  for (const [id, key] of [["prev", "app_mgr_prev"], ["next", "app_mgr_next"]]) {
    $(id).setAttribute("aria-label", t(key));
    $(id).title = t(key);
  }
  $("week").setAttribute("aria-label", t("app_mgr_week"));
  $("prev").addEventListener("click", (e) => pick(e.currentTarget.dataset.week));
  $("next").addEventListener("click", (e) => pick(e.currentTarget.dataset.week));
  $("week").addEventListener("change", (e) => pick(e.currentTarget.value));
  await load(new URLSearchParams(location.search).get("week") || "");
}

boot();
