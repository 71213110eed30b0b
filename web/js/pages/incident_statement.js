// The statement editor: a draft is checked against 谦和/权威/诚信/节制 as it is written, and each
// finding is shown inline at its sentence (the words it points at underlined, the message under
// the sentence). Text is only ever inserted as text nodes.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, clear, debounce, toast } from '../dom.js';

const KINDS = ['holding', 'authoritative', 'update', 'clarification', 'press_conference', 'other'];

// Renders `text` with the check result: one span per sentence, findings marked by their
// [start, end) character (code point) offsets.
export function renderChecked(text, check) {
  const chars = Array.from(String(text));
  const out = h('div.stmt-preview', { id: 'stmt-preview' });
  const sentences = Array.isArray(check.sentences) && check.sentences.length ? check.sentences : [{ start: 0, end: chars.length }];
  const findings = Array.isArray(check.findings) ? check.findings : [];
  sentences.forEach((s, k) => {
    const mine = findings.filter((f) => f.sentence === k);
    const sev = mine.some((f) => f.severity === 'error') ? 'has-error' : mine.some((f) => f.severity === 'warning') ? 'has-warning' : '';
    const span = h(`span.stmt-sentence${sev ? `.${sev}` : ''}`, { dataset: { sentence: String(k) } });
    // Cut points inside the sentence where a finding's range starts or ends.
    const ranges = mine.filter((f) => Number.isInteger(f.start) && Number.isInteger(f.end) && f.end > f.start
      && !(f.start <= s.start && f.end >= s.end));
    let pos = s.start;
    const sorted = ranges.slice().sort((a, b) => a.start - b.start);
    for (const f of sorted) {
      const a = Math.max(f.start, pos), b = Math.min(f.end, s.end);
      if (a >= b) continue;
      if (a > pos) span.appendChild(document.createTextNode(chars.slice(pos, a).join('')));
      span.appendChild(h(`mark.finding.${f.severity}`, { title: String(f.message || '') }, chars.slice(a, b).join('')));
      pos = b;
    }
    if (pos < s.end) span.appendChild(document.createTextNode(chars.slice(pos, s.end).join('')));
    out.appendChild(span);
    if (mine.length) {
      out.appendChild(h('ul.finding-list', { dataset: { sentence: String(k) } }, mine.map((f) => h(`li.${f.severity}`,
        { dataset: { principle: String(f.principle), severity: String(f.severity) } },
        `${t(`inc.principle.${f.principle}`, null, String(f.principle))} · ${t(`inc.severity.${f.severity}`, null, String(f.severity))}：${String(f.message || '')}`))));
    }
  });
  const commitments = Array.isArray(check.commitments) ? check.commitments : [];
  if (commitments.length) {
    out.appendChild(h('div.muted', { id: 'stmt-commitments' }, `${t('inc.promises')}：`,
      commitments.map((c) => `「${String(c.text)}」→ ${c.due ? String(c.due) : t('inc.no_date')}  `)));
  }
  return out;
}

// Mounts the editor in `root`; `onSaved(statement)` after a draft is stored.
export function statementEditor(incidentId, { revises = null, initial = '', kind: initialKind = '', onSaved } = {}) {
  const area = h('textarea', { id: 'stmt-body', placeholder: t('inc.stmt_placeholder') });
  area.value = initial;
  const kind = h('select', { id: 'stmt-kind' }, KINDS.map((k) => h('option', { value: k, selected: k === initialKind }, t(`inc.kind.${k}`))));
  const status = h('span.muted', { id: 'stmt-status' });
  const preview = h('div', { id: 'stmt-preview-slot' });
  const save = h('button.btn.btn-primary', { id: 'stmt-save', type: 'button', onclick: saveDraft }, t('inc.save_draft'));
  const checkBtn = h('button.btn', { id: 'stmt-check', type: 'button', onclick: () => check() }, t('inc.check'));
  let seq = 0;

  async function check() {
    const text = area.value;
    if (!text.trim()) { clear(preview); status.textContent = ''; return; }
    const mine = ++seq;
    try {
      const r = await api.post('/statements/check', { text });
      if (mine !== seq) return;
      status.textContent = r.ok ? t('inc.check_ok') : t('inc.check_errors', { n: (r.findings || []).filter((f) => f.severity === 'error').length });
      status.dataset.ok = String(!!r.ok);
      clear(preview).appendChild(renderChecked(text, r));
    } catch (e) {
      if (mine === seq) status.textContent = e.message;
    }
  }
  const later = debounce(check, 600);
  area.addEventListener('input', later);

  async function saveDraft() {
    save.disabled = true;
    try {
      const body = { body: area.value, kind: kind.value };
      if (revises) body.revises = revises;
      const s = await api.post(`/incidents/${encodeURIComponent(incidentId)}/statements`, body);
      toast(t('inc.draft_saved', { v: s.version }), 'ok');
      if (onSaved) onSaved(s);
    } catch (e) {
      toast(e.message, 'error');
    } finally {
      save.disabled = false;
    }
  }
  if (initial) check();
  return {
    el: h('div.stmt-editor', { id: 'stmt-editor' }, h('div.inc-actions', kind, checkBtn, save, status), area, preview),
    dispose: () => later.cancel(),
  };
}
