// One incident: state and level, team, tasks with deadlines counting down, statements (editor
// with inline findings, approve, publish), commitments, timeline with the post-volume curve, and
// the evaluation of every stage.
import { api } from '../api.js';
import { t, getLang } from '../i18n.js';
import { h, clear, emptyState, errorBox, loading, levelBadge, fmtTime, toast } from '../dom.js';
import { makeChart, baseGrid, COLORS } from '../charts.js';
import { ROLES, countdown, nextState, num, pct, startTicking } from './incident_util.js';
import { statementEditor, renderChecked } from './incident_statement.js';

export function mountDetail(root, ctx, id) {
  let disposed = false;
  const charts = [];
  const editors = [];
  const canAct = ctx.user.role !== 'viewer';
  const base = `/incidents/${encodeURIComponent(id)}`;
  const body = h('div', { id: 'incident-page', dataset: { id: String(id) } }, loading());
  root.appendChild(body);
  const stop = startTicking(root);
  let openEditor = null;  // (re)opens the statement editor, e.g. to revise a version

  const act = async (path, payload, okMsg) => {
    try {
      await api.post(path, payload);
      if (okMsg) toast(okMsg, 'ok');
      await load();
    } catch (e) {
      toast(e.message, 'error');
    }
  };

  async function load() {
    try {
      const [inc, timeline, ev, clar] = await Promise.all([api.get(base), api.get(`${base}/timeline`), api.get(`${base}/eval`),
        api.get(`${base}/clarifications`).catch(() => ({ items: [] }))]);
      if (disposed) return;
      render(inc, timeline, ev, clar.items || []);
    } catch (e) {
      if (!disposed) clear(body).appendChild(errorBox(e));
    }
  }

  function section(idName, title, ...children) {
    return h('section.card', { id: idName }, h('h2', title), ...children);
  }

  function render(inc, timeline, ev, clarifications) {
    for (const c of charts.splice(0)) c.dispose();
    for (const e of editors.splice(0)) e.dispose();
    clear(body);
    const next = nextState(inc.state);
    const stateBox = h('div.inc-actions', h('span.inc-state', { id: 'incident-state' }, t(`inc.state.${inc.state}`, null, inc.state)));
    if (canAct && next) {
      const reason = next === 'closed' ? h('input', { id: 'no-response-reason', placeholder: t('inc.no_response_reason') }) : null;
      stateBox.append(h('button.btn.btn-primary', { id: 'incident-next', type: 'button',
        onclick: () => act(`${base}/transition`, { to: next, no_response_reason: reason && reason.value.trim() ? reason.value.trim() : undefined },
          t(`inc.state.${next}`)) }, t(`inc.to.${next}`)));
      if (reason) stateBox.append(reason);
    }
    body.append(h('div.page-head',
      h('h1', levelBadge(inc.level), ' ', `#${inc.id} `, String(inc.title || '')),
      h('a.btn.btn-ghost', { href: '#/incidents' }, t('inc.back'))),
    h('div.muted', `${t('inc.detected')} ${fmtTime(inc.detected_at)} · ${t('inc.plan')} ${planTitle(inc)}`,
      inc.alert_id ? h('a', { href: `#/alerts/${encodeURIComponent(inc.alert_id)}` }, ` · ${t('inc.from_alert')} #${inc.alert_id}`) : null),
    stateBox,
    linksLine(inc.links));

    // Team.
    const team = h('ul', { id: 'incident-team' }, (inc.team || []).map((m) => h('li', `${t(`inc.role.${m.role}`, null, m.role)}：${String(m.person)}`)));
    const roleSel = h('select', { id: 'assign-role' }, ROLES.map((r) => h('option', { value: r }, t(`inc.role.${r}`, null, r))));
    const person = h('input', { id: 'assign-person', placeholder: t('inc.person') });
    body.append(section('incident-team-card', t('inc.team'), (inc.team || []).length ? team : emptyState(),
      canAct ? h('div.inc-actions', roleSel, person, h('button.btn', { id: 'assign-submit', type: 'button',
        onclick: () => person.value.trim() && act(`${base}/roles`, { role: roleSel.value, person: person.value.trim() }) }, t('inc.assign'))) : null));

    // Tasks with countdowns.
    const tasks = (inc.tasks || []).map((x) => h('tr', { id: `task-${x.id}`, dataset: { key: String(x.key), status: String(x.status), overdue: String(!!x.overdue) } },
      h('td', String(x.title || x.key)),
      h('td', `${t(`inc.role.${x.role}`, null, x.role)}${x.owner ? ` · ${x.owner}` : ''}`),
      h('td', fmtTime(x.due_at)),
      h('td', x.status === 'open' ? countdown(x.due_at, false) : h('span.countdown.done', t(`inc.task.${x.status}`, null, x.status)),
        x.escalation_stage ? h('span.muted', ` ${t('inc.escalated', { n: x.escalation_stage })}`) : null),
      h('td', canAct && x.status === 'open' ? h('button.btn.btn-small.task-done', { type: 'button',
        onclick: () => act(`/tasks/${encodeURIComponent(x.id)}/done`, {}, t('inc.task_done')) }, t('inc.mark_done')) : null)));
    body.append(section('incident-tasks', t('inc.tasks'), tasks.length ? h('table.inc-table', h('tbody', tasks)) : emptyState()));

    // Statements.
    const stmts = h('div', { id: 'incident-statements' });
    for (const s of inc.statements || []) stmts.appendChild(statementRow(s));
    const editorSlot = h('div', { id: 'stmt-editor-slot' });
    const writable = canAct && inc.state !== 'closed' && inc.state !== 'reviewed';
    openEditor = (opts) => {
      for (const e of editors.splice(0)) e.dispose();
      const ed = statementEditor(inc.id, { ...opts, onSaved: () => load() });
      editors.push(ed);
      clear(editorSlot).appendChild(ed.el);
      ed.el.scrollIntoView({ block: 'nearest' });
    };
    if (writable) openEditor({});
    else openEditor = null;
    body.append(section('incident-statements-card', t('inc.statements'), stmts, editorSlot));

    // Commitments.
    const cms = (inc.commitments || []).map((c) => {
      const evidence = h('input.kept-evidence', { placeholder: t('inc.evidence_url') });
      return h('tr', { id: `commitment-${c.id}`, dataset: { status: String(c.status), overdue: String(!!c.overdue) } },
        h('td', String(c.text)), h('td', c.due ? fmtTime(c.due) : t('inc.no_date')),
        h('td', c.status === 'kept' ? h('span.countdown.done', c.kept_on_time ? t('inc.kept_on_time') : t('inc.kept_late'))
          : c.due ? countdown(c.due, false) : '–'),
        h('td', canAct && c.status !== 'kept' ? h('span', evidence, h('button.btn.btn-small.commitment-kept', { type: 'button',
          onclick: () => evidence.value.trim() && act(`/commitments/${encodeURIComponent(c.id)}/kept`, { evidence: evidence.value.trim() }, t('inc.kept')) },
        t('inc.mark_kept'))) : null));
    });
    body.append(section('incident-commitments', t('inc.commitments'), cms.length ? h('table.inc-table', h('tbody', cms)) : emptyState()));

    body.append(clarificationSection(inc, clarifications));
    body.append(evaluation(ev));
    body.append(timelineSection(timeline));
  }

  function statementRow(s) {
    const detail = h('div', { hidden: true });
    const channel = h('input.publish-channel', { placeholder: t('inc.channel'), value: 'weibo' });
    const url = h('input.publish-url', { placeholder: 'URL' });
    const buttons = h('div.inc-actions',
      h('strong', `v${s.version} · ${t(`inc.kind.${s.kind}`, null, s.kind || '–')} · ${t(`inc.stmt_state.${s.state}`, null, s.state)}`),
      s.check_ok ? h('span.countdown.done', t('inc.check_ok')) : h('span.countdown.late', t('inc.check_failed')),
      s.published_at ? h('span.muted', `${fmtTime(s.published_at)} ${String(s.channel || '')}`) : null,
      h('button.btn.btn-small.stmt-show', { type: 'button', onclick: async () => {
        detail.hidden = !detail.hidden;
        if (!detail.hidden && !detail.dataset.loaded) {
          detail.dataset.loaded = '1';
          const full = await api.get(`/statements/${encodeURIComponent(s.id)}`).catch((e) => ({ error: e }));
          if (full.error) { detail.appendChild(errorBox(full.error)); return; }
          detail.appendChild(full.check ? renderChecked(full.body, full.check) : h('p', String(full.body)));
          if (s.previous_id) {
            const diff = await api.get(`/statements/${encodeURIComponent(s.id)}/diff`).catch(() => null);
            if (diff) {
              detail.appendChild(h('div.stmt-diff', { dataset: { added: String(diff.added), removed: String(diff.removed) } },
                h('strong', t('inc.diff', { v: diff.old.version })), ' ',
                (diff.ops || []).map((o) => h(`span${o.op === 'added' ? '.diff-added' : o.op === 'removed' ? '.diff-removed' : ''}`, String(o.text)))));
            }
          }
          const comments = h('div.stmt-comments');
          for (const c of full.comments || []) {
            comments.appendChild(h('div.muted', `💬 ${c.sentence === null ? '' : `#${c.sentence + 1} `}${String(c.author)}：${String(c.text)}`));
          }
          detail.appendChild(comments);
          if (canAct) {
            const text = h('input.comment-text', { placeholder: t('inc.comment') });
            const sentence = h('input.comment-sentence', { type: 'number', min: '1', placeholder: t('inc.sentence_no'), style: 'width:6rem' });
            detail.appendChild(h('div.inc-actions', sentence, text, h('button.btn.btn-small.comment-add', { type: 'button', onclick: async () => {
              if (!text.value.trim()) return;
              try {
                const body = { text: text.value.trim() };
                if (sentence.value) body.sentence = Number(sentence.value) - 1;
                const c = await api.post(`/statements/${encodeURIComponent(s.id)}/comments`, body);
                comments.appendChild(h('div.muted', `💬 ${c.sentence === null ? '' : `#${c.sentence + 1} `}${String(c.author)}：${String(c.text)}`));
                text.value = '';
              } catch (e) {
                toast(e.message, 'error');
              }
            } }, t('inc.add_comment'))));
            if (openEditor && s.state === 'draft') {
              detail.appendChild(h('button.btn.btn-small.stmt-revise', { type: 'button',
                onclick: () => openEditor({ revises: s.id, initial: full.body, kind: s.kind }) }, t('inc.revise')));
            }
          }
        }
      } }, t('inc.show')));
    if (canAct && s.state === 'draft') {
      buttons.append(h('button.btn.btn-small.stmt-approve', { type: 'button',
        onclick: () => act(`/statements/${encodeURIComponent(s.id)}/approve`, {}, t('inc.approved')) }, t('inc.approve')));
    }
    if (canAct && s.state === 'approved') {
      buttons.append(channel, url, h('button.btn.btn-small.btn-primary.stmt-publish', { type: 'button',
        onclick: () => act(`/statements/${encodeURIComponent(s.id)}/publish`, { channel: channel.value.trim(), url: url.value.trim() || undefined }, t('inc.published')) },
      t('inc.publish')));
    }
    return h('div.stmt-row', { dataset: { id: String(s.id), state: String(s.state) } }, buttons, detail);
  }

  // 辟谣: each false claim with the posts spreading it, before/after its clarification.
  function clarificationSection(inc, items) {
    const rows = items.map((c) => {
      const tr = c.tracking || {};
      return h('tr', { dataset: { id: String(c.id), spreading: String(!!tr.still_spreading) } },
        h('td', String(c.claim)),
        h('td', `${t('inc.spread_posts')} ${num(c.posts && c.posts.total, 0)}`),
        h('td', tr.published_at ? `${num(tr.before, 0)} → ${num(tr.after, 0)}` : t('inc.not_clarified')),
        h('td', tr.still_spreading ? h('span.countdown.late', t('inc.still_spreading', { n: tr.last_hour }))
          : h('span.countdown.done', t('inc.not_spreading'))));
    });
    const claim = h('input', { id: 'clar-claim', placeholder: t('inc.claim') });
    const evidence = h('input', { id: 'clar-evidence', placeholder: t('inc.claim_evidence') });
    const stmt = h('select', { id: 'clar-statement' }, h('option', { value: '' }, t('inc.clar_statement')),
      (inc.statements || []).map((s) => h('option', { value: String(s.id) }, `v${s.version} ${t(`inc.kind.${s.kind}`, null, s.kind || '')}`)));
    return section('incident-clarifications', t('inc.clarifications'),
      rows.length ? h('table.inc-table', h('tbody', rows)) : emptyState(),
      canAct ? h('div.inc-actions', claim, evidence, stmt, h('button.btn', { id: 'clar-add', type: 'button',
        onclick: () => claim.value.trim() && act(`${base}/clarifications`, { claim: claim.value.trim(), evidence: evidence.value.trim(),
          statement_id: stmt.value ? Number(stmt.value) : undefined }, t('inc.clar_added')) }, t('inc.add_clarification'))) : null);
  }

  function evaluation(ev) {
    const m = ev.minutes || {};
    const fig = (key, value, idName) => h('div.inc-figure', { id: idName }, h('span.muted', t(key)), h('b', value));
    const tk = ev.tasks || {}, cm = ev.commitments || {}, fb = ev.public_feedback || {};
    const figures = h('div.inc-figures', { id: 'incident-eval' },
      fig('inc.ev.to_detect', num(m.to_detect), 'ev-to-detect'),
      fig('inc.ev.to_acknowledge', num(m.to_acknowledge), 'ev-to-ack'),
      fig('inc.ev.to_first_statement', num(m.to_first_statement), 'ev-to-first'),
      fig('inc.ev.to_authoritative', num(m.to_authoritative_statement), 'ev-to-auth'),
      fig('inc.ev.to_close', num(m.to_close), 'ev-to-close'),
      fig('inc.ev.deadlines_met', `${num(tk.met, 0)}/${num((tk.met || 0) + (tk.missed || 0), 0)} (${pct(tk.met_share)})`, 'ev-deadlines'),
      fig('inc.ev.commitments', `${num(cm.kept_on_time, 0)}/${num(cm.total, 0)} · ${t('inc.ev.overdue')} ${num(cm.overdue, 0)}`, 'ev-commitments'),
      fig('inc.ev.feedback', `${t('inc.ev.hotline')} ${num(fb.hotline, 0)} · ${t('inc.ev.survey')} ${num(fb.survey, 0)} · ${t('inc.ev.complaints')} ${num(fb.complaints, 0)}`, 'ev-feedback'));
    const around = (ev.volume_around_statements || []).map((a) => h('tr', { dataset: { statement: String(a.statement_id) } },
      h('td', `#${a.statement_id} ${fmtTime(a.published_at)}`),
      h('td', `${num(a.before.volume, 0)} → ${num(a.after.volume, 0)}`),
      h('td', `${pct(a.before.negative_share)} → ${pct(a.after.negative_share)}`),
      h('td', `${num(a.before.heat)} → ${num(a.after.heat)}`)));
    const chartEl = h('div.inc-chart', { id: 'chart-around' });
    const sec = section('incident-evaluation', t('inc.evaluation'), figures,
      around.length ? h('table.inc-table', { id: 'around-statements' },
        h('thead', h('tr', ['inc.ev.statement', 'inc.ev.volume', 'inc.ev.negative', 'inc.ev.heat'].map((k) => h('th', t(k))))),
        h('tbody', around)) : null,
      around.length ? chartEl : null);
    if (around.length) {
      requestAnimationFrame(() => {
        if (disposed) return;
        const c = makeChart(chartEl);
        if (!c) return;
        charts.push(c);
        c.set({
          tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: baseGrid(),
          xAxis: { type: 'time' }, yAxis: { type: 'value', minInterval: 1 },
          series: (ev.volume_around_statements || []).map((a, i) => ({
            name: `#${a.statement_id}`, type: 'bar', color: COLORS.palette[i % COLORS.palette.length],
            data: (a.curve.points || []).map((p) => [p.at, p.volume]),
            markLine: { symbol: 'none', data: [{ xAxis: a.published_at }] },
          })),
        });
      });
    }
    return sec;
  }

  function timelineSection(tl) {
    const chartEl = h('div.inc-chart', { id: 'chart-timeline' });
    const entries = (tl.entries || []).map((e) => h('div.tl-entry', { dataset: { kind: String(e.kind) } },
      h('span', fmtTime(e.at)), h('span', t(`inc.tl.${e.kind}`, null, String(e.kind)), ' ', describe(e))));
    const posts = tl.posts || {};
    requestAnimationFrame(() => {
      if (disposed || !(posts.points || []).length) return;
      const c = makeChart(chartEl);
      if (!c) return;
      charts.push(c);
      c.set({
        tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: baseGrid(),
        xAxis: { type: 'time' }, yAxis: { type: 'value', minInterval: 1 },
        series: [
          { name: t('inc.volume'), type: 'line', areaStyle: { opacity: 0.3 }, symbol: 'none', color: COLORS.palette[0], data: posts.points.map((p) => [p.at, p.volume]) },
          { name: t('sentiment.negative'), type: 'line', symbol: 'none', color: COLORS.negative, data: posts.points.map((p) => [p.at, p.negative]) },
        ],
      });
    });
    return section('incident-timeline', t('inc.timeline'), (posts.points || []).length ? chartEl : null,
      h('div', { id: 'timeline-entries' }, entries));
  }

  function describe(e) {
    if (e.task) return String(e.task.title || e.task.key);
    if (e.commitment) return String(e.commitment.text);
    if (e.statement) return `v${e.statement.version} ${String(e.statement.channel || '')}`;
    if (e.alert) return `[${String(e.alert.level)}] ${String(e.alert.message || '')}`;
    if (e.clarification) return String(e.clarification.claim);
    if (e.communication) return `${String(e.communication.channel || '')} ${String(e.communication.with || '')}`;
    if (e.detail && typeof e.detail === 'object') {
      const d = e.detail;
      // A state change reads 已确认 → 处置中; a level change keeps its levels (III → II).
      if (d.to !== undefined && d.from !== undefined) return `${t(`inc.state.${d.from}`, null, String(d.from))} → ${t(`inc.state.${d.to}`, null, String(d.to))}`;
      if (d.key) return `${String(d.key)}${d.stage ? ` (${t('inc.escalated', { n: d.stage })})` : ''}`;
      if (d.text) return String(d.text);
    }
    return '';
  }

  load();
  // Refresh in the background, but never under someone typing a statement.
  const timer = setInterval(() => {
    const typing = document.getElementById('stmt-body');
    if (!document.hidden && !(typing && typing.value)) load();
  }, 30000);
  return () => {
    disposed = true;
    stop();
    clearInterval(timer);
    for (const c of charts) c.dispose();
    for (const e of editors) e.dispose();
  };
}

// What the incident is linked to (from its alert or by hand): events and posts open their pages.
function linksLine(links) {
  const list = Array.isArray(links) ? links.filter((l) => l && l.ref !== undefined && l.kind !== 'alert') : [];
  if (!list.length) return null;
  const href = { event: '#/events/', post: '#/posts/', scheme: '#/schemes/' };
  const label = (l) => (l.kind === 'event' ? `${t('post.event')} #${l.ref}` : l.kind === 'scheme' ? `${t('post.scheme')} #${l.ref}` : String(l.ref));
  const order = ['event', 'department', 'scheme', 'post'];
  const groups = order.map((k) => [k, list.filter((l) => l.kind === k)]).filter(([, g]) => g.length);
  return h('div.muted.small', { id: 'incident-links' }, groups.map(([k, g], i) => [i ? ' · ' : '', `${t(`inc.link.${k}`)}${t('common.colon')}`,
    g.map((l, j) => [j ? '、' : '', href[k] ? h('a', { href: `${href[k]}${encodeURIComponent(String(l.ref))}`, dataset: { kind: k } }, label(l)) : label(l)])]));
}

// The plan's title in the page's language; the plan id when the server names none.
function planTitle(inc) {
  const title = inc.plan_title && typeof inc.plan_title === 'object' ? inc.plan_title[getLang() === 'en' ? 'en' : 'zh'] : '';
  return String(title || inc.plan || '–');
}
