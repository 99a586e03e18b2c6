// /quality: find histories by agent, channel, date range and outcome. The filters live in the URL
// query (?agent=&channel=&status=&outcome=&from=&to=), so a search can be shared, bookmarked,
// reloaded and gone back to.
import { ApiError } from '../api';
import { formValues, h, mount } from '../dom';
import { formatDateTime, t } from '../i18n';
import type { Context } from '../main';
import { quality, type HistoryRow } from './api';
import { w } from './words';

const channels = ['whatsapp', 'live-chat', 'social-media', 'email', 'inbound-call', 'outlet-reservation'];
const statuses = ['Running', 'Completed', 'Cancelled', 'Faulted'];
const fields = ['agent', 'channel', 'status', 'outcome', 'from', 'to'] as const;
type Field = typeof fields[number];
export const lastSearchKey = 'cc.quality.search';

/** A calendar date (YYYY-MM-DD) as the start of that day in Jakarta, the contact center's clock. */
function jakartaMidnight(date: string, plusDays = 0): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + plusDays));
  return `${day.toISOString().slice(0, 10)}T00:00:00+07:00`;
}

export function renderSearch(ctx: Context, disposed: () => boolean): void {
  const query = new URLSearchParams(location.search);
  const value = (f: Field) => query.get(f) ?? '';
  const body = h('tbody', { 'data-testid': 'histories' });
  const count = h('span.muted');
  const agents = h('datalist#qc-agents');

  const select = (name: Field, label: string, all: string, options: [string, string][]) =>
    h('label', null, label, h('select', { name, 'data-testid': `filter-${name}` },
      h('option', { value: '' }, all), options.map(([v, text]) => h('option', { value: v, selected: value(name) === v }, text))));

  const form = h('form.qc-filters', {
    'data-testid': 'search-form',
    onsubmit: (e: SubmitEvent) => {
      e.preventDefault();
      const values = formValues(form);
      const next = new URLSearchParams();
      for (const f of fields) if (values[f]?.trim()) next.set(f, values[f].trim());
      const url = `/quality${next.size ? `?${next}` : ''}`;
      if (url !== location.pathname + location.search) history.pushState(null, '', url);
      sessionStorage.setItem(lastSearchKey, location.search);
      void load(next);
    },
  },
  h('label', null, w('agent'), h('input', { name: 'agent', value: value('agent'), list: 'qc-agents', placeholder: w('anyAgent'), autocomplete: 'off', 'data-testid': 'filter-agent' })),
  select('channel', w('channel'), t('allChannels'), channels.map(c => [c, t(`ch_${c}`)])),
  select('status', w('status'), t('allStatuses'), statuses.map(s => [s, t(`status_${s}`)])),
  select('outcome', w('outcome'), w('anyOutcome'), [['silence', w('outcomeSilence')], ['ticket', w('outcomeTicket')]]),
  h('label', null, w('from'), h('input', { type: 'date', name: 'from', value: value('from'), 'data-testid': 'filter-from' })),
  h('label', null, w('to'), h('input', { type: 'date', name: 'to', value: value('to'), 'data-testid': 'filter-to' })),
  h('div.qc-filter-actions', null,
    h('button', { type: 'submit', 'data-testid': 'search' }, w('search')),
    h('button.secondary', { type: 'button', onclick: () => { history.pushState(null, '', '/quality'); sessionStorage.removeItem(lastSearchKey); ctx.navigate('/quality'); } }, w('reset'))),
  agents);

  mount(ctx.main,
    h('div.qc-search', null,
      h('section.panel', null, h('h1', null, w('searchTitle')), form),
      h('section.panel', null,
        h('h2', null, w('results'), ' ', count),
        h('table.queue.qc-results', null,
          h('thead', null, h('tr', null,
            h('th', null, w('started')), h('th', null, w('channel')), h('th', null, w('customer')), h('th', null, w('agent')),
            h('th', null, w('status')), h('th', null, w('end')), h('th.num', null, w('autoScore')), h('th.num', null, w('reviewScore')),
            h('th.num', null, w('events')))),
          body))));

  async function load(filter: URLSearchParams): Promise<void> {
    mount(body, h('tr', null, h('td.empty', { colspan: 9 }, t('loading'))));
    try {
      const rows = await quality.histories({
        agent: filter.get('agent') ?? undefined,
        channel: filter.get('channel') ?? undefined,
        status: filter.get('status') ?? undefined,
        outcome: filter.get('outcome') ?? undefined,
        from: jakartaMidnight(filter.get('from') ?? ''),
        to: jakartaMidnight(filter.get('to') ?? '', 1),
        limit: 100,
      });
      if (disposed()) return;
      count.textContent = `· ${rows.length} · ${w('newestFirst')}`;
      const known = new Set(rows.map(r => r.agent).filter((a): a is string => !!a));
      mount(agents, [...known].sort().map(a => h('option', { value: a })));
      mount(body, rows.length === 0 ? h('tr', null, h('td.empty', { colspan: 9 }, w('noResults'))) : rows.map(row));
    } catch (e) {
      if (disposed()) return;
      const message = e instanceof ApiError ? `${e.title}${e.detail ? `: ${e.detail}` : ''} ${Object.values(e.errors).flat().join('; ')}` : String(e);
      mount(body, h('tr', null, h('td.empty.error', { colspan: 9 }, `${t('error')}: ${message}`)));
    }
  }

  function row(item: HistoryRow): HTMLElement {
    const open = (e: MouseEvent) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      ctx.navigate(`/quality/${item.id}`);
    };
    const end: (string | HTMLElement)[] = [];
    if (item.closedBySilence) end.push(h('span.badge.qc-silence', null, w('closedBySilence')));
    if (item.ticketsRaised > 0) end.push(h('span.badge.qc-ticket', null, `${w('ticketRaised')} ×${item.ticketsRaised}`));
    if (item.endReason) end.push(h('span.muted', null, item.endReason));
    return h('tr.qc-row', { 'data-testid': 'history', 'data-id': item.id, onclick: open },
      h('td', null, h('a', { href: `/quality/${item.id}`, onclick: open, 'data-testid': 'history-link', title: w('open') }, formatDateTime(item.startedAt))),
      h('td', null, h('span.channel', { class: `ch-${item.channel}` }, t(`ch_${item.channel}`))),
      h('td', null, item.customerRef ?? '–'),
      h('td', null, item.agent ?? '–'),
      h('td', null, h('span', { class: `badge status-${item.status}` }, t(`status_${item.status}`))),
      h('td.qc-end', null, end.length ? end : '–'),
      h('td.num', null, scoreBadge(item.score, item.failed)),
      h('td.num', null, item.reviewScore === null ? h('span.muted', null, w('notReviewed')) : h('strong', { title: item.reviewer ?? '' }, String(item.reviewScore))),
      h('td.num.muted', null, String(item.events)));
  }

  void load(query);
}

/** The automatic score: green when every applicable rule passed, amber otherwise, red under 70. */
export function scoreBadge(score: number | null, failed: number | null): HTMLElement {
  if (score === null) return h('span.muted', null, '–');
  const tone = failed === 0 ? 'good' : score >= 70 ? 'warn' : 'bad';
  return h('span', { class: `qc-score qc-score-${tone}`, 'data-testid': 'score' }, `${score.toLocaleString(undefined, { maximumFractionDigits: 1 })}%`);
}
