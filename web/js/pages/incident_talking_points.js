// 口径库 The talking-points library: approved answers per topic, shown under the incident list;
// responders add a draft (or take one from a published statement via the API) and approve it.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, clear, emptyState, errorBox, toast } from '../dom.js';

export function talkingPoints(canAct) {
  const box = h('section.card', { id: 'talking-points' });
  const list = h('div', { id: 'tp-list' });
  const topicFilter = h('input', { id: 'tp-filter', placeholder: t('inc.tp.topic') });
  let disposed = false;

  async function load() {
    try {
      const r = await api.get('/talking-points', { topic: topicFilter.value.trim() });
      if (disposed) return;
      clear(list);
      const items = r.items || [];
      if (!items.length) { list.appendChild(emptyState(t('inc.tp.none'))); return; }
      for (const p of items) {
        list.appendChild(h('div.stmt-row', { dataset: { id: String(p.id), status: String(p.status) } },
          h('div.inc-actions', h('strong', `[${String(p.topic)}] ${String(p.question || '')}`),
            h('span.inc-state', t(`inc.tp.status.${p.status}`, null, String(p.status))),
            canAct && p.status === 'draft' ? h('button.btn.btn-small.tp-approve', { type: 'button', onclick: () => set(p.id, 'approve') }, t('inc.approve')) : null,
            canAct && p.status === 'approved' ? h('button.btn.btn-small.tp-retire', { type: 'button', onclick: () => set(p.id, 'retire') }, t('inc.tp.retire')) : null),
          h('p', String(p.answer))));
      }
    } catch (e) {
      if (!disposed) clear(list).appendChild(e.status === 404 ? emptyState(t('inc.unavailable')) : errorBox(e));
    }
  }

  async function set(id, verb) {
    try {
      await api.post(`/talking-points/${encodeURIComponent(id)}/${verb}`);
      load();
    } catch (e) {
      toast(e.message, 'error');
    }
  }

  const topic = h('input', { id: 'tp-topic', placeholder: t('inc.tp.topic') });
  const question = h('input', { id: 'tp-question', placeholder: t('inc.tp.question') });
  const answer = h('textarea', { id: 'tp-answer', placeholder: t('inc.tp.answer'), rows: '3', style: 'width:100%' });
  const add = h('button.btn', { id: 'tp-add', type: 'button', onclick: async () => {
    try {
      await api.post('/talking-points', { topic: topic.value.trim(), question: question.value.trim(), answer: answer.value });
      answer.value = '';
      toast(t('inc.tp.added'), 'ok');
      load();
    } catch (e) {
      toast(e.message, 'error');
    }
  } }, t('inc.tp.add'));
  topicFilter.addEventListener('change', load);
  box.append(h('h2', t('inc.tp.title')), h('div.inc-actions', topicFilter), list,
    canAct ? h('div', h('div.inc-actions', topic, question, add), answer) : null);
  load();
  return { el: box, dispose: () => { disposed = true; } };
}
