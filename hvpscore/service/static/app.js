/* hvpscore review page: posts a draft to POST /check and renders CheckReport.to_dict()
   (schema hvpscore-check-report 1.x). No libraries, no network beyond this server.
   Every text from the report goes in through textContent, never as HTML. */
"use strict";

(function () {
  const S = { lang: "zh", texts: null, report: null, request: null, version: null,
              status: null, selected: [] };
  const $ = (id) => document.getElementById(id);
  const SEV_ORDER = ["error", "warning", "info"];
  const STATUS_CLASS = {
    met: "good", near: "warm", planned: "warm", possible: "warm", suggestion: "warm",
    after_grant: "later", not_met: "muted", not_eligible: "muted",
  };

  /* -- helpers ------------------------------------------------------------------------------ */
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : String(v));
    }
    for (const k of kids.flat()) {
      if (k === null || k === undefined || k === false) continue;
      e.append(k instanceof Node ? k : document.createTextNode(String(k)));
    }
    return e;
  }
  const svgEl = (tag, attrs) => {
    const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") e.textContent = v; else e.setAttribute(k, String(v));
    }
    return e;
  };
  function t(key, vars) {
    const table = (S.texts && S.texts[S.lang]) || {};
    let s = table[key] !== undefined ? table[key] : key;
    for (const [k, v] of Object.entries(vars || {})) s = s.split("{" + k + "}").join(String(v));
    return s;
  }
  const L = (obj, base) => (obj ? obj[base + "_" + S.lang] || obj[base + "_zh"] || "" : "");
  const LD = (obj) => (obj ? obj[S.lang] || obj.zh || "" : "");
  const colon = () => (S.lang === "zh" ? "：" : ": ");
  const pct = (p) => (p === null || p === undefined ? "—" : Math.round(p * 1000) / 10 + "%");
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  /* msg: a function of the language (so a switch re-renders it), a text, or empty */
  function setStatus(msg, kind) {
    S.status = msg ? { msg, kind } : null;
    paintStatus();
  }
  function paintStatus() {
    const s = $("status");
    const st = S.status;
    s.className = "status" + (st && st.kind ? " " + st.kind : "");
    s.textContent = st ? (typeof st.msg === "function" ? st.msg() : st.msg) : "";
  }

  /* -- language ----------------------------------------------------------------------------- */
  function applyLang(lang) {
    S.lang = lang === "en" ? "en" : "zh";
    document.documentElement.lang = S.lang === "zh" ? "zh-CN" : "en";
    try { localStorage.setItem("hvpscore-lang", S.lang); } catch (e) { /* private mode */ }
    for (const node of document.querySelectorAll("[data-i18n]")) {
      node.textContent = t(node.dataset.i18n);
    }
    for (const node of document.querySelectorAll("[data-i18n-label]")) {
      node.setAttribute("aria-label", t(node.dataset.i18nLabel));
    }
    $("lang-toggle").lang = S.lang === "zh" ? "en" : "zh";
    document.title = t("page_title");
    renderFooter();
    paintStatus();
    if (S.report) render(S.report);
  }

  /* -- input -------------------------------------------------------------------------------- */
  function selectTab(which) {
    const paste = which === "paste";
    $("tab-paste").setAttribute("aria-selected", String(paste));
    $("tab-upload").setAttribute("aria-selected", String(!paste));
    $("tab-paste").tabIndex = paste ? 0 : -1;
    $("tab-upload").tabIndex = paste ? -1 : 0;
    $("panel-paste").hidden = !paste;
    $("panel-upload").hidden = paste;
  }
  function headers(extra) {
    const h = Object.assign({}, extra || {});
    const token = $("f-token").value.trim();
    if (token) h.Authorization = "Bearer " + token;
    return h;
  }
  function buildRequest() {
    if ($("tab-upload").getAttribute("aria-selected") === "true") {
      const f = $("f-file").files[0];
      if (!f) return { error: "need_file" };
      const body = new FormData();
      body.append("file", f, f.name);
      return { body, headers: {}, name: f.name };
    }
    const draft = {};
    for (const id of ["f-title", "f-claims", "f-abstract", "f-description", "f-ipc",
                      "f-applicant", "f-route"]) {
      const node = $(id);
      const v = node.value.trim();
      if (v) draft[node.name] = v;
    }
    if (!draft.claims_text) return { error: "need_claims" };
    return { body: JSON.stringify(draft), headers: { "Content-Type": "application/json" } };
  }
  async function post(req, format) {
    const q = new URLSearchParams({ lang: S.lang, format: format || "json" });
    return fetch("/check?" + q.toString(), {
      method: "POST", body: req.body, headers: headers(req.headers),
    });
  }
  async function errorText(resp) {
    let e = null;
    try { e = (await resp.json()).error; } catch (x) { e = null; }
    if (resp.status === 401) { $("token-box").open = true; }
    return () => t("error_prefix") + " " + resp.status + (e ? " (" + e.code + ")" + colon() +
      (S.lang === "zh" ? e.message_zh : e.message_en) : "");
  }
  async function submit(ev) {
    ev.preventDefault();
    const req = buildRequest();
    if (req.error) { setStatus(() => t(req.error), "bad"); return; }
    const btn = $("submit");
    btn.disabled = true;
    setStatus(() => t("working"), "busy");
    const t0 = performance.now();
    try {
      const resp = await post(req, "json");
      if (!resp.ok) { setStatus(await errorText(resp), "bad"); return; }
      const report = await resp.json();
      S.request = req;
      S.report = report;
      S.selected = [];
      render(report);
      const ms = Math.round(performance.now() - t0);
      setStatus(() => t("done", { n: report.summary.findings, ms }), "ok");
      $("results").hidden = false;
      $("results").focus({ preventScroll: true });
    } catch (x) {
      setStatus(() => t("network_error", { detail: x.message }), "bad");
    } finally {
      btn.disabled = false;
    }
  }
  async function loadSample() {
    const resp = await fetch("/static/sample-draft.json");
    const d = await resp.json();
    selectTab("paste");
    $("f-title").value = d.title || "";
    $("f-claims").value = d.claims_text || "";
    $("f-abstract").value = d.abstract || "";
    $("f-description").value = d.description || "";
    $("f-ipc").value = d.ipc || "";
    $("f-applicant").value = d.applicant_type || "";
    $("f-route").value = d.planned_route || "";
    document.querySelector("details.more").open = true;
  }
  function clearForm() {
    $("draft-form").reset();
    S.report = null;
    S.request = null;
    $("results").hidden = true;
    setStatus("");
  }
  function download(blob, name) {
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 5000);
  }
  function reportName(ext) {
    const r = S.report || {};
    return "hvpscore-check-" + (r.as_of || "report") + "." + ext;
  }
  async function downloadHtml() {
    if (!S.request) return;
    const resp = await post(S.request, "html");
    if (!resp.ok) { setStatus(await errorText(resp), "bad"); return; }
    download(await resp.blob(), reportName("html"));
  }

  /* -- rendering ---------------------------------------------------------------------------- */
  function sevChip(sev) {
    return el("span", { class: "chip sev-" + sev, text: t("sev_" + sev) });
  }
  function where(f) {
    if (f.claim) return t("claim_n", { n: f.claim });
    const parts = [t("section_" + f.section)];
    if (f.paragraph) parts.push(t("paragraph_n", { n: f.paragraph }));
    return parts.join(" · ");
  }
  function findingById(id) {
    return (S.report.findings || []).find((f) => f.id === id);
  }

  function render(r) {
    renderSummary(r);
    renderDoc(r);
    renderTree(r);
    renderProbs(r);
    renderCriteria(r);
    renderAdvice(r);
    renderFindings(r);
    renderMeasures(r);
    const again = S.selected.length &&
      document.querySelector('mark.hl[data-f="' + S.selected.join(" ") + '"]');
    showDetail(S.selected, again || null);
  }

  function renderSummary(r) {
    const c = clear($("summary-cards"));
    const card = (value, label, cls) =>
      el("div", { class: "card " + (cls || "") }, el("span", { class: "big", text: value }),
         el("span", { class: "lbl", text: label }));
    for (const sev of SEV_ORDER) c.append(card(r.summary[sev], t("sev_" + sev), "sev-" + sev));
    c.append(card(r.claims.n_claims, t("n_claims")));
    c.append(card(r.claims.n_independent, t("n_independent")));
    const hv = (r.predictions.heads || []).find((h) => h.target === "high_value");
    if (hv) {
      c.append(card(pct(hv.probability), t("p_high_value") + (hv.skill ? "" : " · " +
        t("no_skill")), "prob" + (hv.skill ? "" : " noskill")));
    }
    const notes = clear($("notes"));
    const model = r.predictions.model;
    if (model && model.synthetic) notes.append(el("li", { text: t("synthetic_model") }));
    for (const n of r.notes || []) notes.append(el("li", { text: LD(n) }));
  }

  /* Findings carry character offsets (Unicode code points, as Python counts them) into
     sections[section].text; the text is cut at every start/end so overlapping findings
     share a mark. */
  function highlighted(text, findings, anchors) {
    const cps = Array.from(text);
    const n = cps.length;
    const clamp = (x) => Math.max(0, Math.min(n, x));
    const spans = findings.filter((f) => f.start !== null && f.end !== null)
      .map((f) => ({ f, a: clamp(f.start), b: clamp(f.end) }));
    const cuts = new Set([0, n]);
    for (const s of spans) { cuts.add(s.a); cuts.add(s.b); }
    for (const a of anchors) cuts.add(clamp(a.at));
    const pts = [...cuts].sort((x, y) => x - y);
    const frag = document.createDocumentFragment();
    for (let i = 0; i < pts.length; i++) {
      const a = pts[i];
      for (const an of anchors) {
        if (clamp(an.at) === a) frag.append(el("span", { id: an.id, class: "anchor" }));
      }
      const point = spans.filter((s) => s.a === s.b && s.a === a);
      if (point.length) frag.append(mark(point.map((s) => s.f), "\u2038", true));
      if (i === pts.length - 1) break;
      const b = pts[i + 1];
      const seg = cps.slice(a, b).join("");
      const cover = spans.filter((s) => s.a < s.b && s.a <= a && s.b >= b).map((s) => s.f);
      frag.append(cover.length ? mark(cover, seg, false) : document.createTextNode(seg));
    }
    return frag;
  }
  function mark(fs, text, point) {
    const worst = SEV_ORDER.find((s) => fs.some((f) => f.severity === s)) || "info";
    const ids = fs.map((f) => f.id);
    const m = el("mark", {
      class: "hl sev-" + worst + (point ? " point" : "") + (fs.length > 1 ? " multi" : ""),
      tabindex: 0, "data-f": ids.join(" "),
      title: fs.map((f) => t("sev_" + f.severity) + colon() + L(f, "message")).join("\n"),
    }, text);
    m.addEventListener("click", () => showDetail(ids, m));
    m.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); showDetail(ids, m); }
    });
    return m;
  }
  function renderDoc(r) {
    const doc = clear($("doc"));
    const order = ["claims", "title", "abstract", "description"];
    for (const name of order) {
      const sec = (r.sections || {})[name];
      if (!sec || !sec.found || !sec.text) continue;
      const fs = r.findings.filter((f) => f.section === name);
      if (name !== "claims" && !fs.length) continue;
      const anchors = name === "claims" ? (r.claims.items || [])
        .filter((c) => c.start !== null).map((c) => ({ at: c.start, id: "claim-" + c.number }))
        : [];
      const body = el("div", { class: "doctext", lang: r.draft.lang === "en" ? "en" : "zh-CN" },
                      highlighted(sec.text, fs, anchors));
      if (name === "claims") {
        doc.append(body);
      } else {
        doc.append(el("details", { class: "section" },
          el("summary", {}, t("section_" + name) + " · " + t("findings_in", { n: fs.length })),
          body));
      }
    }
  }
  function showDetail(ids, from) {
    const box = clear($("finding-detail"));
    S.selected = ids;
    for (const m of document.querySelectorAll("mark.hl.active")) m.classList.remove("active");
    for (const li of document.querySelectorAll(".flist .active")) li.classList.remove("active");
    if (!ids.length) { box.append(el("p", { class: "hint", text: t("detail_empty") })); return; }
    if (from) from.classList.add("active");
    for (const id of ids) {
      const f = findingById(id);
      if (!f) continue;
      const adv = (S.report.advice || []).filter((a) => a.refs.includes(id));
      box.append(el("div", { class: "fdetail", "data-id": id },
        el("div", { class: "fhead" }, sevChip(f.severity), el("b", { text: f.id }), " ",
           el("span", { class: "where", text: where(f) })),
        el("p", { class: "msg", text: L(f, "message") }),
        f.quote ? el("p", { class: "quote", text: f.quote }) : null,
        adv.map((a) => el("p", { class: "fix" }, el("span", { class: "chip prio-" + a.priority,
          text: t("prio_" + a.priority) }), " ", L(a, "text"))),
        el("p", { class: "src" }, el("span", { class: "lbl", text: t("source") + colon() }),
           L(f, "source"))));
      const row = document.querySelector('.flist [data-id="' + id + '"]');
      if (row) row.classList.add("active");
    }
  }
  function focusFinding(id) {
    const m = document.querySelector('mark.hl[data-f~="' + id + '"]');
    if (m) {
      const det = m.closest("details");
      if (det) det.open = true;
      m.scrollIntoView({ block: "center" });
      m.focus({ preventScroll: true });
      showDetail(m.dataset.f.split(" "), m);
    } else {
      showDetail([id]);
      $("finding-detail").scrollIntoView({ block: "nearest" });
    }
  }

  function renderTree(r) {
    const box = clear($("tree"));
    const items = new Map((r.claims.items || []).map((c) => [c.number, c]));
    const node = (n) => {
      const c = items.get(n.number) || { number: n.number, findings: [], subject: "" };
      const btn = el("button", { type: "button", class: "tnode",
        onclick: () => {
          const a = $("claim-" + c.number);
          if (a) a.scrollIntoView({ block: "center" });
        } },
        el("span", { class: "tnum", text: t("claim_n", { n: c.number }) }),
        c.subject ? el("span", { class: "tsub", text: c.subject }) : null,
        c.independent ? el("span", { class: "chip ind", text: t("independent") }) : null,
        c.findings && c.findings.length ? el("span", { class: "badge",
          title: t("findings_in", { n: c.findings.length }), text: c.findings.length }) : null);
      const kids = (n.children || []).map(node);
      return el("li", {}, btn, kids.length ? el("ul", {}, kids) : null);
    };
    box.append(el("ul", { class: "tree" }, (r.claims.tree || []).map(node)));
  }

  /* A small bar chart as inline SVG: one bar per model head, the base rate as a tick. */
  function renderProbs(r) {
    const box = clear($("probs"));
    const heads = r.predictions.heads || [];
    if (!r.predictions.available || !heads.length) {
      box.append(el("p", { class: "hint", text: t("no_predictions") }));
      return;
    }
    const W = 440, rowH = 50, top = 4, barW = 360, x0 = 0;
    const H = top + heads.length * rowH + 18;
    const svg = svgEl("svg", { viewBox: "0 0 " + W + " " + H, class: "chart", role: "img",
                               "aria-labelledby": "probs-title probs-desc" });
    svg.append(svgEl("title", { id: "probs-title", text: t("probs") }));
    svg.append(svgEl("desc", { id: "probs-desc", text: heads.map((h) =>
      L(h, "name") + " " + pct(h.probability)).join("; ") }));
    heads.forEach((h, i) => {
      const y = top + i * rowH;
      const g = svgEl("g", { class: "bar" + (h.skill ? "" : " noskill"), "data-target": h.target });
      const label = svgEl("text", { x: 0, y: y + 14, class: "lbl" });
      label.append(svgEl("tspan", { text: L(h, "name") }));
      label.append(svgEl("tspan", { class: "sub", dx: 8, text: t("heldout_auc") + " " +
        (h.heldout_auc === null ? "—" : h.heldout_auc.toFixed(2)) +
        (h.skill ? "" : " · " + t("no_skill")) }));
      g.append(label);
      g.append(svgEl("rect", { x: x0, y: y + 21, width: barW, height: 16, rx: 3, class: "track" }));
      g.append(svgEl("rect", { x: x0, y: y + 21, width: Math.max(1, barW * h.probability),
                               height: 16, rx: 3, class: "fill" }));
      if (h.base_rate !== null && h.base_rate !== undefined) {
        const bx = x0 + barW * h.base_rate;
        g.append(svgEl("line", { x1: bx, x2: bx, y1: y + 17, y2: y + 41, class: "base" }));
      }
      g.append(svgEl("text", { x: W, y: y + 34, class: "val", "text-anchor": "end",
                               text: pct(h.probability) }));
      svg.append(g);
    });
    [0, 0.5, 1].forEach((v) => {
      svg.append(svgEl("text", { x: x0 + barW * v, y: H - 4, class: "axis",
        "text-anchor": v === 0 ? "start" : v === 1 ? "end" : "middle", text: v * 100 + "%" }));
    });
    box.append(svg);
    box.append(el("p", { class: "hint", text: t("probs_hint") }));
    const reasons = heads.filter((h) => h.reasons && h.reasons.length);
    if (reasons.length) {
      box.append(el("details", { class: "reasons" }, el("summary", { text: t("reasons") }),
        reasons.map((h) => el("div", {}, el("b", { text: L(h, "name") }),
          el("ul", {}, h.reasons.map((x) => el("li", {}, L(x, "text") + " ",
            el("span", { class: x.contribution >= 0 ? "up" : "down",
                         text: (x.contribution >= 0 ? "↑" : "↓") +
                               Math.abs(x.contribution).toFixed(2) }))))))));
    }
  }

  function table(heads, rows, cls) {
    return el("table", { class: "tbl " + (cls || "") },
      el("thead", {}, el("tr", {}, heads.map((h) => el("th", { scope: "col", text: h })))),
      el("tbody", {}, rows));
  }
  function renderCriteria(r) {
    const rows = (r.criteria || []).map((c) => el("tr", { id: "crit-" + c.id },
      el("th", { scope: "row", text: L(c, "name") }),
      el("td", {}, el("span", { class: "chip st-" + (STATUS_CLASS[c.status] || "muted"),
                                text: L(c, "status") }),
         c.suggestion ? el("span", { class: "hint", text: " " + t("suggested") }) : null),
      el("td", { class: "num", text: c.probability === null ? "—" : pct(c.probability) }),
      el("td", { text: L(c, "evidence") })));
    clear($("criteria")).append(table([t("criterion"), t("status"), t("probability"),
                                       t("evidence")], rows, "crit"));
  }
  function refLink(ref) {
    if (/^F\d+$/.test(ref)) {
      return el("button", { type: "button", class: "ref", onclick: () => focusFinding(ref) }, ref);
    }
    const crit = (S.report.criteria || []).find((c) => c.id === ref);
    if (crit) {
      return el("button", { type: "button", class: "ref",
        onclick: () => $("crit-" + ref).scrollIntoView({ block: "center" }) }, L(crit, "name"));
    }
    const m = (S.report.measures || []).find((x) => x.id === ref);
    if (m) {
      return el("button", { type: "button", class: "ref",
        onclick: () => $("measure-" + ref).scrollIntoView({ block: "center" }) }, LD(m.name));
    }
    const [target, feature] = ref.split(":");
    const head = (S.report.predictions.heads || []).find((h) => h.target === target);
    const why = head && (head.reasons || []).find((x) => x.feature === feature);
    if (head) {
      return el("button", { type: "button", class: "ref", onclick: () => {
        const d = document.querySelector("#probs details.reasons");
        if (d) d.open = true;
        $("probs").scrollIntoView({ block: "center" });
      } }, L(head, "name") + (why ? " · " + L(why, "text") : ""));
    }
    return el("span", { class: "ref plain", text: ref });
  }
  function renderAdvice(r) {
    const ol = clear($("advice"));
    if (!(r.advice || []).length) { ol.append(el("li", { text: t("no_advice") })); return; }
    for (const a of r.advice) {
      ol.append(el("li", { class: "prio-" + a.priority },
        el("span", { class: "chip prio-" + a.priority, text: t("prio_" + a.priority) }), " ",
        el("span", { class: "atext", text: L(a, "text") }),
        el("span", { class: "refs" }, el("span", { class: "lbl", text: t("refs") + colon() }),
           a.refs.map(refLink))));
    }
  }
  function renderFindings(r) {
    const box = clear($("findings"));
    if (!r.findings.length) { box.append(el("p", { text: t("no_findings") })); return; }
    box.append(el("ul", { class: "flist" }, r.findings.map((f) => el("li", { "data-id": f.id },
      el("button", { type: "button", class: "frow", onclick: () => focusFinding(f.id) },
         sevChip(f.severity), el("b", { text: f.id }),
         el("span", { class: "where", text: f.start === null ? where(f) + " " + t("no_location")
                                                             : where(f) }),
         el("span", { class: "msg", text: L(f, "message") }))))));
  }
  function renderMeasures(r) {
    const rows = (r.measures || []).map((m) => el("tr", { id: "measure-" + m.id },
      el("th", { scope: "row" }, LD(m.name), el("span", { class: "msrc", text: t("source") +
        colon() + [m.source.issuer, m.source.doc_no, m.source.date].filter(Boolean)
        .join(" · ") })),
      el("td", { text: LD(m.amount) }),
      el("td", { class: "nowrap", text: m.valid_from + " – " + (m.valid_to || "…") }),
      el("td", {}, el("span", { class: "chip m-" + m.status, text: t("m_" + m.status) }))));
    clear($("measures")).append(table([t("measure"), t("amount"), t("valid"), t("status")],
                                      rows, "measures"));
  }

  function renderFooter() {
    const v = S.version;
    $("footer").textContent = v ? t("footer", { version: v.hvpscore,
      model: v.draft_model ? v.draft_model.version : "—", policy: v.policy_id }) : "";
  }
  async function loadVersion() {
    try {
      const resp = await fetch("/version", { headers: headers() });
      if (resp.ok) { S.version = await resp.json(); renderFooter(); }
    } catch (x) { /* the footer stays empty */ }
  }

  /* -- start -------------------------------------------------------------------------------- */
  async function start() {
    S.texts = await (await fetch("/static/i18n.json")).json();
    let lang = new URLSearchParams(location.search).get("lang");
    if (!lang) { try { lang = localStorage.getItem("hvpscore-lang"); } catch (e) { lang = null; } }
    try { $("f-token").value = sessionStorage.getItem("hvpscore-token") || ""; } catch (e) { /* */ }
    applyLang(lang || "zh");
    $("lang-toggle").addEventListener("click", () => applyLang(S.lang === "zh" ? "en" : "zh"));
    $("tab-paste").addEventListener("click", () => selectTab("paste"));
    $("tab-upload").addEventListener("click", () => selectTab("upload"));
    for (const id of ["tab-paste", "tab-upload"]) {
      $(id).addEventListener("keydown", (e) => {
        if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
          const next = id === "tab-paste" ? "upload" : "paste";
          selectTab(next);
          $("tab-" + next).focus();
        }
      });
    }
    $("f-token").addEventListener("change", () => {
      try { sessionStorage.setItem("hvpscore-token", $("f-token").value.trim()); } catch (e) { /* */ }
      loadVersion();
    });
    $("draft-form").addEventListener("submit", submit);
    $("load-sample").addEventListener("click", loadSample);
    $("clear").addEventListener("click", clearForm);
    $("dl-json").addEventListener("click", () => download(new Blob(
      [JSON.stringify(S.report, null, 1)], { type: "application/json" }), reportName("json")));
    $("dl-html").addEventListener("click", downloadHtml);
    document.body.dataset.ready = "1";
    loadVersion();
  }
  document.addEventListener("DOMContentLoaded", start);
})();
