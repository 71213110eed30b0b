// One post as a card (feed, event page, alert evidence). All post fields are untrusted: text goes
// in as text nodes; snippet_html only contributes <mark> (see snippetNodes); links only http(s).
import { api } from './api.js';
import { t } from './i18n.js';
import { h, append, clear, snippetNodes, highlightNodes, sentimentBadge, typeBadge, timeEl, fmtNum, safeHref, toast, SENTIMENTS, asText } from './dom.js';

// Scheme names by id, filled by pages that load /schemes (posts carry only {id, terms}).
export const schemeNames = new Map();
const schemeLabel = (s) => String(s.name || schemeNames.get(String(s.id)) || `${t('post.scheme')} #${s.id}`);

export function rememberSchemes(items, root = document) {
  for (const s of items || []) if (s && s.id !== undefined && s.name) schemeNames.set(String(s.id), String(s.name));
  for (const el of root.querySelectorAll('.badge.scheme[data-scheme-id]')) {
    const name = schemeNames.get(el.dataset.schemeId);
    if (name) el.textContent = name;
  }
}

export function postCard(post, { compact = false, correctable = true, openable = true } = {}) {
  const p = post || {};
  // Alert evidence is a summary: author as a name, sentiment as a label, types and interactions
  // beside the text instead of analysis and metrics.
  const a = p.analysis || { sentiment: typeof p.sentiment === 'string' ? { label: p.sentiment } : p.sentiment, types: p.types };
  const author = typeof p.author === 'string' ? { name: p.author } : (p.author || {});
  const sentiment = a.sentiment || {};
  const sentBox = h('span.sent-box', sentimentBadge(sentiment.label, sentiment.score));
  const terms = (p.schemes || []).flatMap((s) => s.terms || []);

  const body = h('div.post-text');
  if (typeof p.snippet_html === 'string' && p.snippet_html) body.appendChild(snippetNodes(p.snippet_html));
  else body.appendChild(highlightNodes(String(p.text ?? ''), terms));
  if (!compact) {
    body.classList.add('clamp');
    requestAnimationFrame(() => {
      if (body.scrollHeight > body.clientHeight + 4) {
        const more = h('button.link.more', { type: 'button', onclick: () => { body.classList.toggle('clamp'); more.textContent = body.classList.contains('clamp') ? t('post.more') : t('post.less'); } }, t('post.more'));
        body.after(more);
      }
    });
  } else body.classList.add('clamp-3');

  const href = safeHref(p.url);
  const title = p.title ? (href ? h('a.post-title', { href, target: '_blank', rel: 'noopener noreferrer nofollow' }, String(p.title))
    : h('div.post-title', String(p.title))) : null;

  const fromAuthor = a.region && a.region.source === 'author';
  const region = a.region && (a.region.province || a.region.city)
    ? h(`span.badge.region${fromAuthor ? '.from-author' : ''}`, { title: t(fromAuthor ? 'post.region_author' : 'post.region_text') },
      [a.region.province, a.region.city].filter(Boolean).join(' · ') + (fromAuthor ? ' *' : ''))
    : (p.region ? h('span.badge.region', String(p.region)) : null);
  // The rumour probability is on every post; the badge shows from p ≥ 0.5 (docs/analysis.md).
  const rumor = typeof a.rumor === 'number' && a.rumor >= 0.5
    ? h('span.badge.rumor', { title: t('post.rumor_title'), dataset: { rumor: String(a.rumor) } }, t('post.rumor', { p: Math.round(a.rumor * 100) }))
    : null;
  const badges = h('div.badges', sentBox,
    (a.types || []).map((x) => (typeof x === 'string' ? typeBadge(x) : typeBadge(x.type, x.evidence))),
    region,
    rumor,
    a.dup_of ? h('span.badge.dup', { title: `${t('post.dup_of')} ${a.dup_of}` }, t('post.duplicate')) : null,
    (a.event || a.event === 0) && a.event !== 0 && a.event !== '' ? h('a.badge.event-link', { href: `#/events/${encodeURIComponent(asText(typeof a.event === 'object' ? a.event.id : a.event))}` }, `${t('post.event')} #${asText(typeof a.event === 'object' ? a.event.id : a.event)}`) : null,
    (p.schemes || []).map((s) => h('span.badge.scheme', { title: (s.terms || []).join('、'), dataset: { schemeId: String(s.id) } },
      schemeLabel(s))));

  const m = p.metrics || {};
  const metrics = !p.metrics && typeof p.interactions === 'number'
    ? h('div.metrics', h('span', { dataset: { metric: 'interactions' } }, `${t('metric.interactions')} ${fmtNum(p.interactions)}`))
    : h('div.metrics', ['reposts', 'comments', 'likes', 'views']
      .filter((k) => k !== 'views' || m.views)
      .map((k) => h('span', { dataset: { metric: k } }, `${t(`metric.${k}`)} ${fmtNum(m[k] ?? 0)}`)));

  const actions = h('div.post-actions');
  if (openable && p.id) actions.appendChild(h('a.link.post-open', { href: `#/posts/${encodeURIComponent(String(p.id))}` }, t('post.open')));
  if (correctable && p.id) actions.appendChild(correctionControl(p, sentBox));
  if (href) actions.appendChild(h('a.link', { href, target: '_blank', rel: 'noopener noreferrer nofollow' }, t('post.open_source')));

  return h(`article.post-card${compact ? '.compact' : ''}`, { dataset: { id: String(p.id ?? ''), sentiment: sentiment.label || '' } },
    h('header.post-head',
      h('span.source', [p.source ? t(`source.${p.source}`, null, String(p.source)) : '', p.channel].filter(Boolean).map(String).join(' · ') || t('post.unknown_source')),
      h('span.author', author.name ? String(author.name) : t('post.anonymous'),
        author.verified ? h('span.verified', { title: t('post.verified') }, '✔') : null,
        author.followers ? h('span.muted', ` ${fmtNum(author.followers)} ${t('post.followers')}`) : null),
      h('span.spacer'),
      timeEl(p.published_at)),
    title, body, badges,
    h('footer.post-foot', metrics, actions));
}

// "情感判断有误": pick the right label; the server stores the correction (for retraining).
function correctionControl(p, sentBox) {
  const wrap = h('span.correct');
  const current = p.analysis?.sentiment?.label;
  const btn = h('button.link.mark-wrong', { type: 'button' }, t('post.mark_wrong'));
  btn.addEventListener('click', () => {
    clear(wrap);
    append(wrap, h('span.muted', `${t('post.correct_to')}: `),
      SENTIMENTS.filter((s) => s !== current).map((s) => h('button.btn.btn-small', {
        type: 'button', dataset: { label: s },
        async onclick() {
          try {
            await api.post(`/posts/${encodeURIComponent(p.id)}/sentiment`, { label: s });
            p.analysis = p.analysis || {};
            p.analysis.sentiment = { ...(p.analysis.sentiment || {}), label: s, corrected: true };
            clear(sentBox).appendChild(sentimentBadge(s));
            sentBox.appendChild(h('span.badge.corrected', t('post.corrected')));
            clear(wrap).appendChild(h('span.muted.thanks', t('post.correction_saved')));
          } catch (e) {
            toast(`${t('post.correction_failed')}: ${e.message}`, 'error');
          }
        },
      }, t(`sentiment.${s}`))),
    h('button.link', { type: 'button', onclick: () => clear(wrap).appendChild(btn) }, t('common.cancel')));
  });
  wrap.appendChild(btn);
  return wrap;
}
