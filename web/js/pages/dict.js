// 词典 User dictionary: words segmentation and search keep whole (新冠, officials' names, place
// and brand names). Everyone sees the words and whether the full-text index is built with them
// (or is being rebuilt, with a progress bar); admins and analysts add and remove words. A change
// takes effect for new posts and searches at once; the server re-indexes the stored posts in the
// background. Words go in as text only (dom.js h()).
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, append, clear, emptyState, errorBox, loading, toast, fmtTime, fmtNum } from '../dom.js';

const WRITERS = ['admin', 'analyst'];

// "新冠 张三, 某某牌" -> ["新冠", "张三", "某某牌"]: spaces, commas and new lines separate words.
export function splitWords(text) {
  return [...new Set(String(text || '').split(/[\s,，、;；]+/).map((w) => w.trim()).filter(Boolean))];
}

// The index line: current, or rebuilding with done/total as a percentage.
export function indexState(ix) {
  if (!ix) return { key: 'unknown', pct: 0 };
  if (ix.rebuilding) {
    const pct = ix.total > 0 ? Math.min(100, Math.floor((ix.done * 100) / ix.total)) : 0;
    return { key: 'rebuilding', pct };
  }
  return { key: ix.current ? 'current' : 'stale', pct: ix.current ? 100 : 0 };
}

export function mount(root, ctx) {
  const writer = WRITERS.includes(ctx.user.role);
  let disposed = false;
  let timer = null;
  let shown = null;  // the word list on screen, so that a refresh of the index line keeps it (and an armed 删除)
  const statusEl = h('div', { id: 'dict-index' }, loading());
  const listEl = h('div.table-wrap', { id: 'dict-words' });
  root.append(h('div.page-head', h('h1', t('nav.dict'))),
    h('p.hint', t('dict.intro')),
    h('section.card', h('h2', t('dict.index')), statusEl),
    writer ? h('section.card', addForm()) : null,
    h('section.card', h('h2', t('dict.words')), listEl));

  async function load() {
    try {
      const r = await api.get('/dict');
      if (disposed) return;
      showIndex(r.index);
      showWords(Array.isArray(r.items) ? r.items : [], r.max_words);
      // While the index is rebuilt its progress moves: look again soon.
      schedule(indexState(r.index).key === 'current' ? 15000 : 500);
    } catch (e) {
      if (!disposed) clear(statusEl).appendChild(errorBox(e));
      schedule(15000);
    }
  }

  function schedule(ms) {
    clearTimeout(timer);
    if (!disposed) timer = setTimeout(load, ms);
  }

  function showIndex(ix) {
    const st = indexState(ix);
    const bar = h('div.progress', { role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(st.pct) },
      h('div.progress-fill', { style: `width:${st.pct}%` }));
    const detail = st.key === 'rebuilding'
      ? t('dict.rebuilding_detail', { done: fmtNum(ix.done), total: fmtNum(ix.total), pct: st.pct })
      : st.key === 'current' && ix.finished_at ? t('dict.current_since', { at: fmtTime(ix.finished_at) }) : '';
    append(clear(statusEl),
      h('div.dict-status', { dataset: { state: st.key } },
        h(`span.badge.${st.key === 'current' ? 'badge-ok' : st.key === 'rebuilding' ? 'badge-warn' : 'badge-muted'}`, t(`dict.state.${st.key}`)),
        detail ? h('span.hint', ` ${detail}`) : null),
      st.key === 'rebuilding' || st.key === 'current' ? bar : null,
      ix && ix.error ? h('div.field-msg.bad', { id: 'dict-error' }, ix.error) : null);
  }

  function showWords(items, max) {
    const key = JSON.stringify([items, max]);
    if (key === shown) return;
    shown = key;
    clear(listEl);
    listEl.appendChild(h('div.hint', { id: 'dict-count' }, t('dict.count', { n: fmtNum(items.length), max: fmtNum(max || 0) })));
    if (!items.length) { listEl.appendChild(emptyState(t('dict.none'))); return; }
    listEl.appendChild(h('table.table', { id: 'dict-table' },
      h('thead', h('tr', h('th', t('dict.col.word')), h('th', t('dict.col.added_at')), writer ? h('th', '') : null)),
      h('tbody', items.map((w) => h('tr', { dataset: { word: w.word } },
        h('td.dict-word', w.word),
        h('td', fmtTime(w.added_at)),
        writer ? h('td.actions', removeButton(w.word)) : null)))));
  }

  function removeButton(word) {
    let armed = false;
    const btn = h('button.btn.btn-danger.btn-small.dict-remove', { type: 'button', onclick: async () => {
      if (!armed) {
        armed = true;
        btn.textContent = t('settings.confirm_delete');
        setTimeout(() => { armed = false; if (btn.isConnected) btn.textContent = t('common.delete'); }, 4000);
        return;
      }
      try {
        await api.del(`/dict/${encodeURIComponent(word)}`);
        toast(t('dict.removed'), 'ok');
        await load();
      } catch (e) { toast(e.message, 'error'); }
    } }, t('common.delete'));
    return btn;
  }

  function addForm() {
    const input = h('textarea', { id: 'dict-input', rows: 2, maxlength: 8000, placeholder: t('dict.placeholder') });
    const msg = h('div.field-msg', { dataset: { for: 'words' }, role: 'status' });
    const form = h('form.settings-form', { id: 'dict-form', onsubmit: async (e) => {
      e.preventDefault();
      msg.textContent = ''; msg.className = 'field-msg';
      const words = splitWords(input.value);
      if (!words.length) { msg.textContent = t('dict.empty_input'); msg.className = 'field-msg bad'; return; }
      try {
        const r = await api.post('/dict', { words });
        const n = Array.isArray(r.added) ? r.added.length : 0;
        toast(n ? t('dict.added', { n }) : t('dict.nothing_new'), 'ok');
        input.value = '';
        await load();
      } catch (err) {
        // The server's reason in English stays in the tooltip; the known ones are said in the UI's language.
        const known = { 400: 'dict.invalid_word', 413: 'dict.too_many' }[err.status];
        msg.textContent = known ? t(known) : err.message;
        msg.title = err.message;
        msg.className = 'field-msg bad';
      }
    } },
    h('h2', t('dict.new')),
    h('label.field', { dataset: { field: 'words' } }, h('span', t('dict.words_label')), input, h('div.hint', t('dict.words_hint')), msg),
    h('div.actions', h('button.btn.btn-primary', { type: 'submit', id: 'dict-save' }, t('dict.add'))));
    return form;
  }

  load();
  return () => {
    disposed = true;
    clearTimeout(timer);
  };
}
