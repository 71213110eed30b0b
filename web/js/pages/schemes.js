// 监测方案 Schemes: list + editor. The query is validated as the user types (the error's column is
// marked in a copy of the query), and can be tested against stored posts before saving.
import { api, localMessage } from '../api.js';
import { t } from '../i18n.js';
import { h, append, clear, emptyState, errorBox, loading, toast, debounce } from '../dom.js';
import { postCard, rememberSchemes } from '../post_card.js';

const TEST_RANGES = ['24h', '7d', '30d', '365d'];

export function mount(root, ctx) {
  const id = ctx.params[0] || '';
  const canEdit = ctx.user.role !== 'viewer';
  let disposed = false;
  const listEl = h('div.scheme-list', { id: 'scheme-list' }, loading());
  const editorEl = h('div.scheme-editor-wrap');
  root.append(
    h('div.page-head', h('h1', t('nav.schemes')),
      canEdit ? h('a.btn.btn-primary', { href: '#/schemes/new', id: 'scheme-new' }, `+ ${t('scheme.new')}`) : null),
    h('div.split', h('section.card.list-pane', listEl), h('section.card.editor-pane', editorEl)));

  let schemes = [];
  async function loadList() {
    try {
      const r = await api.get('/schemes');
      if (disposed) return;
      schemes = Array.isArray(r.items) ? r.items : [];
      rememberSchemes(schemes, root);
      clear(listEl);
      if (!schemes.length) listEl.appendChild(emptyState(t('scheme.none')));
      for (const s of schemes) {
        listEl.appendChild(h(`a.scheme-item${String(s.id) === id ? '.active' : ''}${s.enabled === false ? '.disabled' : ''}`,
          { href: `#/schemes/${encodeURIComponent(s.id)}`, dataset: { id: String(s.id) } },
          h('div.scheme-name', String(s.name || `#${s.id}`), s.enabled === false ? h('span.badge', t('scheme.disabled')) : null),
          h('code.scheme-query', String(s.query || '')),
          h('div.muted.small', [(s.departments || []).join('、'), `${t('scheme.priority')} ${s.priority ?? 0}`].filter(Boolean).join(' · '))));
      }
    } catch (e) {
      clear(listEl).appendChild(errorBox(e));
    }
  }

  async function openEditor() {
    if (!id) {
      clear(editorEl).appendChild(emptyState(canEdit ? t('scheme.pick_or_new') : t('scheme.pick')));
      return;
    }
    if (id === 'new') {
      renderEditor({ name: '', query: '', exclude: [], departments: ctx.user.departments || [], regions: [], priority: 0, enabled: true });
      return;
    }
    clear(editorEl).appendChild(loading());
    try {
      const s = await api.get(`/schemes/${encodeURIComponent(id)}`);
      if (!disposed) renderEditor(s.scheme || s);
    } catch (e) {
      clear(editorEl).appendChild(errorBox(e));
    }
  }

  function renderEditor(s) {
    const isNew = !s.id;
    const name = h('input', { id: 'scheme-name', value: s.name || '', required: true, maxlength: 100, disabled: !canEdit });
    const query = h('textarea.code', { id: 'scheme-query', rows: 4, spellcheck: 'false', disabled: !canEdit }, String(s.query || ''));
    const queryMsg = h('div.field-msg', { id: 'scheme-query-error', role: 'status' });
    const queryMark = h('pre.query-mark', { id: 'scheme-query-mark', hidden: true, 'aria-hidden': 'true' });
    const exclude = h('textarea.code', { id: 'scheme-exclude', rows: 3, spellcheck: 'false', disabled: !canEdit, placeholder: t('scheme.exclude_placeholder') },
      (s.exclude || []).join('\n'));
    const excludeMsg = h('div.field-msg', { id: 'scheme-exclude-error' });
    const depts = h('input', { id: 'scheme-departments', value: (s.departments || []).join(', '), disabled: !canEdit, placeholder: t('scheme.list_placeholder') });
    const regions = h('input', { id: 'scheme-regions', value: (s.regions || []).join(', '), disabled: !canEdit, placeholder: t('scheme.list_placeholder') });
    const priority = h('input', { id: 'scheme-priority', type: 'number', min: 0, max: 100, step: 1, value: String(s.priority ?? 0), disabled: !canEdit });
    const enabled = h('input', { id: 'scheme-enabled', type: 'checkbox', checked: s.enabled !== false, disabled: !canEdit });
    const lastSel = h('select', { id: 'scheme-test-range', 'aria-label': t('scheme.test_range') },
      TEST_RANGES.map((r) => h('option', { value: r, selected: r === '7d' }, t(`range.${r}`))));
    const testBtn = h('button.btn', { type: 'button', id: 'scheme-test', onclick: runTest }, t('scheme.test'));
    const saveBtn = canEdit ? h('button.btn.btn-primary', { type: 'submit', id: 'scheme-save' }, t('common.save')) : null;
    const delBtn = canEdit && !isNew ? h('button.btn.btn-danger', { type: 'button', id: 'scheme-delete', onclick: del }, t('common.delete')) : null;
    const testOut = h('div.test-out', { id: 'scheme-test-result' });
    const formErr = h('div');
    let valid = { query: !!s.query, exclude: true };

    const form = h('form.scheme-form', { onsubmit: save },
      h('h2', isNew ? t('scheme.new') : `${t('scheme.edit')} · ${s.name || `#${s.id}`}`),
      h('label.field', h('span', t('scheme.name')), name),
      h('label.field', h('span', t('scheme.query')), query, queryMark, queryMsg,
        h('div.hint', t('scheme.query_hint'))),
      h('label.field', h('span', t('scheme.exclude')), exclude, excludeMsg),
      h('div.field-row',
        h('label.field', h('span', t('scheme.departments')), depts),
        h('label.field', h('span', t('scheme.regions')), regions)),
      h('div.field-row',
        h('label.field.narrow', h('span', t('scheme.priority')), priority),
        h('label.field.check', enabled, h('span', t('scheme.enabled')))),
      formErr,
      h('div.actions', testBtn, lastSel, h('span.spacer'), delBtn, saveBtn),
      testOut);
    clear(editorEl).appendChild(form);

    // Live validation: only the newest answer counts.
    let vseq = 0;
    async function validateQuery() {
      const my = ++vseq;
      const text = query.value;
      if (!text.trim()) {
        showQueryError(null);
        valid.query = false;
        return;
      }
      try {
        const r = await api.post('/schemes/validate', { query: text });
        if (my !== vseq || disposed) return;
        valid.query = r.ok !== false;
        showQueryError(r.ok === false ? (r.error || { message: t('scheme.invalid') }) : null);
      } catch (e) {
        if (my !== vseq || disposed) return;
        if (e.status === 400 || e.status === 422) {
          valid.query = false;
          showQueryError({ message: e.message, column: e.info?.column ?? columnFrom(e.message) });
        } else showQueryError({ message: `${t('scheme.validate_failed')}: ${e.message}`, soft: true });
      }
    }
    function showQueryError(error) {
      clear(queryMark);
      if (!error) {
        query.removeAttribute('aria-invalid');
        queryMsg.className = 'field-msg ok';
        queryMsg.textContent = query.value.trim() ? `✓ ${t('scheme.valid')}` : '';
        queryMark.hidden = true;
        return;
      }
      if (!error.soft) query.setAttribute('aria-invalid', 'true');
      queryMsg.className = `field-msg ${error.soft ? 'warn' : 'bad'}`;
      const col = Number(error.column) || 0;
      const msg = error.soft ? String(error.message || '') : localMessage(error);
      queryMsg.textContent = col ? `${t('scheme.column', { n: col })}${t('common.colon')}${stripColumn(msg)}` : msg;
      queryMsg.dataset.column = String(col);
      if (col > 0) markColumn(query.value, col);
    }
    // Columns are 1-based code points of the query as typed.
    function markColumn(text, col) {
      const chars = Array.from(text);
      const i = Math.min(col - 1, chars.length);
      const before = chars.slice(0, i).join('');
      const at = i < chars.length ? chars[i] : ' ';
      const after = chars.slice(i + 1).join('');
      queryMark.append(before, h('span.err-col', { id: 'scheme-query-errcol', title: t('scheme.column', { n: col }) }, at === '\n' ? '↵\n' : at), after);
      queryMark.hidden = false;
      // Let the user jump there.
      queryMark.onclick = () => {
        const off = Array.from(text).slice(0, i).join('').length;
        query.focus();
        query.setSelectionRange(off, off + (at.length || 1));
      };
    }
    async function validateExclude() {
      const lines = exclude.value.split('\n').map((x) => x.trim()).filter(Boolean);
      excludeMsg.textContent = '';
      excludeMsg.className = 'field-msg';
      valid.exclude = true;
      for (let n = 0; n < lines.length; n++) {
        try {
          const r = await api.post('/schemes/validate', { query: lines[n] });
          if (r.ok === false) {
            valid.exclude = false;
            excludeMsg.className = 'field-msg bad';
            const col = r.error?.column;
            excludeMsg.textContent = `${t('scheme.line', { n: n + 1 })}${col ? `, ${t('scheme.column', { n: col })}` : ''}${t('common.colon')}${stripColumn(localMessage(r.error))}`;
            return;
          }
        } catch (e) {
          excludeMsg.className = 'field-msg warn';
          excludeMsg.textContent = e.message;
          return;
        }
      }
    }
    const vq = debounce(validateQuery, 250);
    const ve = debounce(validateExclude, 400);
    query.addEventListener('input', vq);
    exclude.addEventListener('input', ve);
    if (s.query) validateQuery();

    function body() {
      const list = (el) => el.value.split(/[,，、\n]/).map((x) => x.trim()).filter(Boolean);
      return {
        name: name.value.trim(),
        query: query.value,
        exclude: exclude.value.split('\n').map((x) => x.trim()).filter(Boolean),
        departments: list(depts),
        regions: list(regions),
        priority: Number(priority.value) || 0,
        enabled: enabled.checked,
      };
    }

    async function runTest() {
      clear(testOut).appendChild(loading());
      testBtn.disabled = true;
      try {
        const b = body();
        const r = await api.post('/schemes/test', { query: b.query, exclude: b.exclude, last: lastSel.value });
        const samples = Array.isArray(r.samples) ? r.samples : [];
        append(clear(testOut),
          h('div.test-count', { id: 'scheme-test-count', dataset: { count: String(r.count ?? samples.length) } },
            t('scheme.test_count', { n: r.count ?? samples.length, range: t(`range.${lastSel.value}`) })),
          samples.length ? h('div.post-list', samples.map((p) => postCard(p, { compact: true, correctable: false }))) : null);
      } catch (e) {
        clear(testOut).appendChild(errorBox(e));
      } finally {
        testBtn.disabled = false;
      }
    }

    async function save(e) {
      e.preventDefault();
      clear(formErr);
      const b = body();
      if (!b.name) { clear(formErr).appendChild(errorBox(t('scheme.name_required'))); name.focus(); return; }
      vq.cancel();
      await validateQuery();
      if (!valid.query) { clear(formErr).appendChild(errorBox(t('scheme.fix_query'))); query.focus(); return; }
      saveBtn.disabled = true;
      try {
        const r = isNew ? await api.post('/schemes', b) : await api.put(`/schemes/${encodeURIComponent(s.id)}`, { ...s, ...b });
        const saved = r.scheme || r;
        toast(t('scheme.saved'), 'ok');
        if (isNew && saved.id !== undefined) ctx.navigate('schemes', [String(saved.id)]);
        else loadList();
      } catch (e2) {
        clear(formErr).appendChild(errorBox(e2));
        if (e2.info?.column) showQueryError(e2.info);
      } finally {
        saveBtn.disabled = false;
      }
    }

    let confirmDelete = false;
    async function del() {
      if (!confirmDelete) {
        confirmDelete = true;
        delBtn.textContent = t('scheme.confirm_delete');
        setTimeout(() => { confirmDelete = false; if (delBtn.isConnected) delBtn.textContent = t('common.delete'); }, 4000);
        return;
      }
      try {
        await api.del(`/schemes/${encodeURIComponent(s.id)}`);
        toast(t('scheme.deleted'), 'ok');
        ctx.navigate('schemes');
      } catch (e) {
        clear(formErr).appendChild(errorBox(e));
      }
    }
  }

  loadList();
  openEditor();
  return () => { disposed = true; };
}

function columnFrom(msg) {
  const m = /(?:column|第)\s*(\d+)/i.exec(String(msg || ''));
  return m ? Number(m[1]) : 0;
}

// The server's message may already start with "column N: " / "第 N 列：".
function stripColumn(msg) {
  return String(msg || '').replace(/^(column\s+\d+:\s*|第\s*\d+\s*列[：:]\s*)/i, '');
}
