// 报告 Reports: the daily and weekly briefs, the special report on an event and the incident
// review (GET /api/v1/reports/{kind}), previewed in a sandboxed frame and downloaded as HTML, PDF,
// DOCX or JSON. The report page itself comes from the server with every post text escaped and a
// CSP of its own (sandbox allow-scripts): its chart script runs, with no access to the dashboard.
import { ApiError, localMessage } from '../api.js';
import { t, getLang } from '../i18n.js';
import { h, clear, errorBox, loading, toast } from '../dom.js';

const KINDS = ['daily', 'weekly', 'event', 'incident'];

// The ISO week of a date, as 2026-W49.
function isoWeek(d) {
  const x = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()));
  const day = x.getUTCDay() || 7;
  x.setUTCDate(x.getUTCDate() + 4 - day);
  const y0 = new Date(Date.UTC(x.getUTCFullYear(), 0, 1));
  const w = Math.ceil(((x - y0) / 86400000 + 1) / 7);
  return `${x.getUTCFullYear()}-W${String(w).padStart(2, '0')}`;
}

function yesterday() {
  const d = new Date(Date.now() - 86400000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

// Fetches a report; an error reply (JSON) becomes an ApiError with the server's message.
async function fetchReport(kind, query) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== '' && v !== undefined && v !== null) u.set(k, String(v));
  const res = await fetch(`/api/v1/reports/${encodeURIComponent(kind)}?${u}`, { credentials: 'same-origin' });
  if (!res.ok) {
    let err = {};
    try { err = (await res.json()).error || {}; } catch { /* not JSON */ }
    throw new ApiError(res.status, err.code || `http_${res.status}`, localMessage(err) || res.statusText, err);
  }
  return res.blob();
}

// Saves a blob under `name` (our own blob: URL; h() admits only web links).
function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { download: name });
  a.href = url;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

// Export buttons for the feed and event pages: the posts of `filters()` (the feed's query
// parameters, or {event}) as CSV or XLSX through GET /api/v1/exports/posts.
export function exportButtons(filters) {
  const run = async (fmt, btn) => {
    btn.disabled = true;
    try {
      const u = new URLSearchParams({ format: fmt, lang: getLang() === 'en' ? 'en' : 'zh' });
      for (const [k, v] of Object.entries(filters())) if (v !== '' && v !== undefined && v !== null && k !== 'limit') u.set(k, String(v));
      const res = await fetch(`/api/v1/exports/posts?${u}`, { credentials: 'same-origin' });
      if (!res.ok) {
        let err = {};
        try { err = (await res.json()).error || {}; } catch { /* not JSON */ }
        throw new ApiError(res.status, err.code || `http_${res.status}`, localMessage(err) || res.statusText, err);
      }
      save(await res.blob(), `yuqing-posts.${fmt}`);
      toast(t('export.done', { n: res.headers.get('X-Yuqing-Rows') || '?' }), 'success');
    } catch (e) {
      toast(localMessage(e.info) || e.message, 'error');
    } finally {
      btn.disabled = false;
    }
  };
  const csv = h('button.btn', { type: 'button', class: 'export-csv', title: t('export.title') }, t('export.csv'));
  const xlsx = h('button.btn', { type: 'button', class: 'export-xlsx', title: t('export.title') }, t('export.xlsx'));
  csv.addEventListener('click', () => run('csv', csv));
  xlsx.addEventListener('click', () => run('xlsx', xlsx));
  return h('span.export-buttons', csv, ' ', xlsx);
}

export function mount(root, ctx) {
  let disposed = false;
  const kind = h('select', { id: 'report-kind' }, KINDS.map((k) => h('option', { value: k }, t(`report.kind.${k}`))));
  const date = h('input', { id: 'report-date', type: 'date', value: yesterday() });
  const week = h('input', { id: 'report-week', placeholder: '2026-W49', value: isoWeek(new Date(Date.now() - 7 * 86400000)), maxlength: '8' });
  const eventId = h('input', { id: 'report-event', type: 'number', min: '1', placeholder: t('report.event_id') });
  const incidentId = h('input', { id: 'report-incident', type: 'number', min: '1', placeholder: t('report.incident_id') });
  const scheme = h('input', { id: 'report-scheme', placeholder: t('report.scheme'), maxlength: '200' });
  const format = h('select', { id: 'report-format' }, ['pdf', 'docx', 'html', 'json'].map((f) => h('option', { value: f }, t(`report.format.${f}`))));
  const preview = h('button.btn', { id: 'report-preview', type: 'button', onclick: () => run(true) }, t('report.preview'));
  const download = h('button.btn.btn-primary', { id: 'report-download', type: 'button', onclick: () => run(false) }, t('report.download'));
  const status = h('div.muted', { id: 'report-status', role: 'status' });
  const frame = h('iframe', { id: 'report-frame', title: t('report.preview'), sandbox: 'allow-scripts',
    style: 'width:100%;height:75vh;border:1px solid var(--border, #d8dee6);background:#fff' });
  const frameBox = h('div.card', { id: 'report-preview-box', hidden: true }, frame);
  const fields = {
    daily: h('label', t('report.date'), ' ', date),
    weekly: h('label', t('report.week'), ' ', week),
    event: h('label', t('report.event_id'), ' ', eventId),
    incident: h('label', t('report.incident_id'), ' ', incidentId),
  };
  const schemeField = h('label', t('report.scheme'), ' ', scheme);
  const form = h('div.card', { id: 'report-form' },
    h('div.inc-actions', h('label', t('report.kind'), ' ', kind), Object.values(fields), schemeField),
    h('div.inc-actions', h('label', t('report.format'), ' ', format), preview, download), status);
  root.append(h('div.page-head', h('h1', t('nav.reports'))), h('p.muted', t('report.intro')), form, frameBox);

  function showFields() {
    for (const [k, el] of Object.entries(fields)) el.hidden = k !== kind.value;
    schemeField.hidden = !(kind.value === 'daily' || kind.value === 'weekly');
  }
  kind.addEventListener('change', showFields);
  showFields();

  function query(fmt) {
    const q = { format: fmt, lang: getLang() === 'en' ? 'en' : 'zh' };
    if (kind.value === 'daily') q.date = date.value;
    if (kind.value === 'weekly') q.week = week.value.trim();
    if (kind.value === 'event') q.event = eventId.value;
    if (kind.value === 'incident') q.incident = incidentId.value;
    if (!schemeField.hidden) q.scheme = scheme.value.trim();
    return q;
  }

  async function run(isPreview) {
    const fmt = isPreview ? 'html' : format.value;
    preview.disabled = download.disabled = true;
    clear(status).append(loading(), ' ', t(fmt === 'pdf' || fmt === 'docx' ? 'report.rendering_slow' : 'report.rendering'));
    try {
      const blob = await fetchReport(kind.value, query(fmt));
      if (disposed) return;
      if (isPreview) {
        // The page is framed from the server (its own sandboxing CSP lets its chart script run);
        // the fetch above has checked it can be made and shown any error.
        const u = new URLSearchParams({ ...query(fmt), inline: '1' });
        frame.src = `/api/v1/reports/${encodeURIComponent(kind.value)}?${u}`;
        frameBox.hidden = false;
      } else {
        save(blob, `yuqing-${kind.value}-${Object.values(query(fmt)).slice(2).join('-') || 'report'}.${fmt}`);
        toast(t('report.downloaded'), 'success');
      }
      clear(status).append(t('report.done', { size: Math.max(1, Math.round(blob.size / 1024)) }));
    } catch (e) {
      if (disposed) return;
      clear(status).append(errorBox(e));
    } finally {
      if (!disposed) preview.disabled = download.disabled = false;
    }
  }

  return () => { disposed = true; };
}
