// 信息详情 One post (#/posts/ID), opened from a post card anywhere (event page, alert evidence,
// feed): the whole text, its analysis, and links to its event and the post it copies.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, clear, errorBox, loading, fmtTime, fmtNum, safeHref, asText } from '../dom.js';
import { postCard } from '../post_card.js';

export function mount(root, ctx) {
  const id = ctx.params[0] || '';
  let disposed = false;
  const body = h('div', loading());
  root.append(h('div.page-head',
    h('div', h('div.crumbs', h('a', { href: '#/feed' }, t('nav.feed')), ' / ', t('nav.posts')),
      h('h1', t('nav.posts'))),
    h('button.btn', { type: 'button', onclick: () => history.back() }, t('common.back'))),
  h('section.card.post-detail', { id: 'post-page', dataset: { id } }, body));

  api.get(`/posts/${encodeURIComponent(id)}`).then((r) => {
    if (disposed) return;
    const p = r.post || r;
    const a = p.analysis || {};
    const author = typeof p.author === 'string' ? { name: p.author } : (p.author || {});
    const eventId = a.event && typeof a.event === 'object' ? a.event.id : a.event;
    const href = safeHref(p.url);
    const rows = [
      [t('post.id'), String(p.id ?? id)],
      [t('post.author'), [asText(author.name || author.id), author.followers ? ` · ${fmtNum(author.followers)} ${t('post.followers')}` : ''].join('')],
      [t('post.published_at'), fmtTime(p.published_at, true)],
      [t('post.source'), p.source ? t(`source.${p.source}`, null, String(p.source)) : '–'],
      eventId ? [t('post.event'), h('a', { href: `#/events/${encodeURIComponent(String(eventId))}` }, `${t('post.event')} #${eventId}`)] : null,
      a.dup_of ? [t('post.dup_of_label'), h('a', { href: `#/posts/${encodeURIComponent(String(a.dup_of))}` }, String(a.dup_of))] : null,
      href ? [t('post.open_source'), h('a', { href, target: '_blank', rel: 'noopener noreferrer nofollow' }, href)] : null,
    ].filter(Boolean);
    clear(body).append(postCard(p, { openable: false }), h('dl.kv', rows.map(([k, v]) => [h('dt', k), h('dd', v)])));
  }).catch((e) => { if (!disposed) clear(body).appendChild(errorBox(e)); });
  return () => { disposed = true; };
}
