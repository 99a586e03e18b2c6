import { api, ApiError, timeSpanMs, type TicketSummary, type TicketView } from '../api';
import type { Context, Screen } from '../main';
import { formValues, h, mount } from '../dom';
import { formatDateTime, formatWorkingTime, t } from '../i18n';
import { onLive } from '../live';

type Colour = 'on-track' | 'at-risk' | 'breached';

const colourOf = (ticket: TicketSummary): Colour | null =>
  ticket.sla ? ({ OnTrack: 'on-track', AtRisk: 'at-risk', Breached: 'breached' } as const)[ticket.sla.snapshot.status] : null;

/** A ticket's SLA: a coloured badge and a countdown to its resolution due, ticking every second. */
function slaCell(ticket: TicketSummary, register: (tick: () => void) => void): HTMLElement {
  const colour = colourOf(ticket);
  if (!ticket.sla || !colour) return h('span.muted', null, '–');
  const snapshot = ticket.sla.snapshot;
  // Remaining is working time; it only runs down while the calendar's working hours run, so the
  // countdown ticks from the server's figure and is re-read on every live update.
  const remainingAt = Date.now();
  const remaining = timeSpanMs(snapshot.remaining);
  const value = h('span.countdown-value', { 'data-testid': 'sla-remaining' });
  const tick = () => {
    const left = snapshot.isPaused ? remaining : remaining - (Date.now() - remainingAt);
    value.textContent = left >= 0 ? formatWorkingTime(left) : `${t('overdueBy')} ${formatWorkingTime(-left)}`;
  };
  tick();
  register(tick);
  return h('span', { class: `sla sla-${colour}`, 'data-testid': 'sla', 'data-colour': colour, title: `${ticket.sla.policy} · ${t('breachDue')} ${formatDateTime(snapshot.breachDue)}` },
    h('span.dot', { 'aria-hidden': 'true' }), h('span.label', null, t(`sla_${colour}`)), ' ', value, snapshot.isPaused ? h('em', null, ` (${t('paused')})`) : null);
}

function toast(message: string): void {
  const el = h('div.toast', { role: 'alert' }, message);
  document.body.appendChild(el);
  window.setTimeout(() => el.remove(), 6000);
}

function describe(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 403) return t('forbidden');
    if (e.status === 409 && e.title !== 'Refused') return t('conflict');
    const fields = Object.entries(e.errors).map(([k, v]) => `${k}: ${v.join(', ')}`).join('; ');
    return `${e.title}${e.detail ? `: ${e.detail}` : ''}${fields ? ` (${fields})` : ''}`;
  }
  return `${t('error')}: ${String(e)}`;
}

export function renderTicketQueue(ctx: Context, requested: string | null): Screen {
  const related = ctx.me.roles.includes('RelatedTeam') && !ctx.me.roles.includes('Tier2');
  const queue: 'tier2' | 'related' = requested === 'related' || (requested === null && related) ? 'related' : 'tier2';
  const body = h('tbody');
  let ticks: (() => void)[] = [];
  let disposed = false;
  const interval = window.setInterval(() => ticks.forEach(f => f()), 1000);

  const tab = (value: 'tier2' | 'related', label: string) => h('a', {
    href: `/tickets?queue=${value}`, class: value === queue ? 'active' : undefined, 'data-testid': `queue-${value}`,
    onclick: (e: MouseEvent) => { e.preventDefault(); ctx.navigate(`/tickets?queue=${value}`); },
  }, label);

  mount(ctx.main, h('section.panel', null,
    h('div.detail-head', null, h('h1', null, t('ticketQueue')),
      h('nav.tabs', null, related ? null : tab('tier2', t('queueTier2')), tab('related', t('queueRelated')))),
    h('table.queue', { 'data-testid': 'ticket-queue' },
      h('thead', null, h('tr', null, [t('sla'), t('ticket'), t('category'), t('priority'), t('customer'), t('currentTask'), t('unit'), t('opened')].map(c => h('th', null, c)))),
      body)));

  // Reads overlap (live events, the first load); only the last one asked is drawn, so an older
  // answer landing last cannot bring back a ticket that has left the queue.
  let lastRequest = 0;

  async function load(): Promise<void> {
    const request = ++lastRequest;
    const tickets = await api.tickets(queue);
    if (disposed || request !== lastRequest) return;
    ticks = [];
    mount(body, tickets.length === 0
      ? h('tr', null, h('td.empty', { colspan: 8 }, t('noTickets')))
      : tickets.map(ticket => h('tr', { 'data-testid': 'ticket-row', 'data-ticket': ticket.id, class: `row-${colourOf(ticket) ?? 'none'}` },
        h('td', null, slaCell(ticket, f => ticks.push(f))),
        h('td', null, h('a', {
          href: `/tickets/${ticket.id}`,
          onclick: (e: MouseEvent) => { e.preventDefault(); ctx.navigate(`/tickets/${ticket.id}`); },
        }, ticket.description ? ticket.description.slice(0, 60) : ticket.id.slice(0, 8))),
        h('td', null, ticket.category ?? '–'),
        h('td', null, ticket.priority ?? '–'),
        h('td', null, ticket.customerRef ?? '–', ticket.sourceChannel ? h('small.muted', null, ` · ${t(`ch_${ticket.sourceChannel}`)}`) : null),
        h('td', null, ticket.currentTask ? `${ticket.currentTask.step ? `${ticket.currentTask.step}. ` : ''}${ticket.currentTask.name ?? ''}` : '–'),
        h('td', null, ticket.unit ?? '–'),
        h('td', null, formatDateTime(ticket.openedAt)))));
  }

  let queued = 0;
  const stop = onLive(({ data }) => {
    if ((data as { channel?: string }).channel === 'ticket' || (data as { kind?: string }).kind) {
      window.clearTimeout(queued);
      queued = window.setTimeout(() => void load(), 150);
    }
  });
  void load().catch(e => toast(describe(e)));
  return { title: 'menuTickets', cleanup: () => { disposed = true; stop(); window.clearInterval(interval); window.clearTimeout(queued); } };
}

export function renderTicket(ctx: Context, id: string): Screen {
  let disposed = false;
  let ticks: (() => void)[] = [];
  const interval = window.setInterval(() => ticks.forEach(f => f()), 1000);
  const isTier2 = ctx.me.roles.includes('Tier2');
  const works = isTier2 || ctx.me.roles.includes('RelatedTeam');

  let shownVersion = -1;

  async function load(): Promise<void> {
    const view = await api.ticket(id);
    if (!disposed) render(view);
  }

  /** Runs an action; on success the submitted form is emptied, on failure what was typed stays. */
  async function act(action: () => Promise<TicketView>, submitted?: HTMLFormElement): Promise<void> {
    try {
      const view = await action();
      submitted?.reset();
      render(view);
    } catch (e) {
      toast(describe(e));
      await load();
    }
  }

  function textForm(testId: string, name: string, label: string, button: string, submit: (value: string) => Promise<TicketView>, extra?: HTMLElement): HTMLFormElement {
    const form = h('form.inline', {
      'data-testid': testId,
      onsubmit: (e: SubmitEvent) => {
        e.preventDefault();
        const values = formValues(form);
        void act(() => submit(values[name].trim()), form);
      },
    }, h('label', null, label, name === 'memo' || name === 'text'
      ? h('textarea', { name, required: true, rows: 2, maxlength: 4000 })
      : h('input', { name, required: true, maxlength: 200 })), extra ?? null, h('button', { type: 'submit' }, button));
    return form;
  }

  function render(view: TicketView): void {
    // A live reload and an action's own answer can land in either order: an answer older than the
    // version on screen would bring back a step or an action already done.
    if (view.version < shownVersion) return;
    shownVersion = view.version;
    const ticket = view.ticket;
    const open = ticket.status === 'Running';
    const task = ticket.currentTask;
    // What the open step is for, as the flow declares it (cc:purpose) and the server hands it over.
    const taskView = task ? view.tasks.find(x => x.id === task.id) : undefined;
    const purposes = taskView?.purposes ?? [];
    const tier2Task = taskView?.performer === 'Tier2';
    const beforeDecision = ['ticket-received', 'tier2-identification', 'tier2-decision'].some(p => purposes.includes(p));
    const canClose = beforeDecision || purposes.includes('ticket-close');
    ticks = [];
    const sla = ticket.sla;
    const relatedTask = task && taskView?.performer === 'RelatedTeam' && ctx.me.roles.includes('RelatedTeam') ? task : null;

    const actions: (HTMLElement | null)[] = [];
    if (open && isTier2 && tier2Task && beforeDecision) {
      const note = h('input', { name: 'note', maxlength: 4000, placeholder: t('dispatchNote') });
      actions.push(textForm('dispatch', 'unit', t('unit'), t('dispatch'), unit => api.dispatch(id, unit, note.value.trim() || null, view.version), note));
    }
    if (open && isTier2 && tier2Task && canClose) {
      actions.push(textForm('close', 'memo', t('memo'), t('close'), memo => api.close(id, memo, view.version)));
    }
    if (open && relatedTask) {
      const fields = relatedTask.fields.map(f => h('label', null, f, h('textarea', { name: f, required: true, rows: 2 })));
      const form = h('form.inline', { 'data-testid': 'related-task', onsubmit: (e: SubmitEvent) => e.preventDefault() },
        h('p', null, h('strong', null, `${relatedTask.step ? `${t('step')} ${relatedTask.step}: ` : ''}${relatedTask.name ?? relatedTask.elementId}`)),
        fields,
        h('div.outcomes', null, (relatedTask.outcomes.length ? relatedTask.outcomes : [null]).map(o => h('button', {
          type: 'button', 'data-outcome': o ?? '',
          onclick: () => {
            if (!form.reportValidity()) return;
            const data = formValues(form);
            void act(() => api.completeTicketTask(id, relatedTask.id, o, Object.keys(data).length ? data : null, view.version), form);
          },
        }, o ?? t('completeTask')))));
      actions.push(form);
    }
    if (open && isTier2 && sla) {
      actions.push(h('div.sla-actions', null,
        sla.snapshot.isPaused
          ? h('button.secondary', { type: 'button', 'data-testid': 'sla-resume', onclick: () => void act(() => api.slaResume(id)) }, t('slaResume'))
          : textForm('sla-pause', 'reason', t('reason'), t('slaPause'), reason => api.slaPause(id, reason)),
        sla.extension ? null : textForm('sla-extend', 'reason', t('reason'), t('slaExtend'), reason => api.slaExtend(id, reason))));
    }

    // A live update re-renders the page: what the user is typing in any form must survive it.
    const drafts = keepDrafts(ctx.main);
    mount(ctx.main,
      h('div.detail-head', null,
        h('a.back', { href: '/tickets', onclick: (e: MouseEvent) => { e.preventDefault(); history.back(); } }, `← ${t('back')}`),
        h('h1', null, `${t('ticket')} ${ticket.id.slice(0, 8)}`),
        h('span', { class: `badge status-${ticket.status}`, 'data-testid': 'ticket-status' }, open ? t(`status_${ticket.status}`) : t('ticketClosed')),
        open ? slaCell(ticket, f => ticks.push(f)) : null),
      h('div.detail-grid', null,
        h('div.col', null,
          h('section.panel', null,
            h('dl.facts', null,
              fact(t('category'), ticket.category), fact(t('priority'), ticket.priority), fact(t('description'), ticket.description),
              fact(t('customer'), `${ticket.customerRef ?? '–'}${ticket.sourceChannel ? ` · ${t(`ch_${ticket.sourceChannel}`)}` : ''}`),
              fact(t('unit'), ticket.unit), fact(t('opened'), formatDateTime(ticket.openedAt)),
              ticket.closedAt ? fact(t('status_Completed'), formatDateTime(ticket.closedAt)) : null,
              fact(t('currentTask'), task ? `${task.step ? `${t('step')} ${task.step}: ` : ''}${task.name ?? task.elementId} (${task.lane ?? ''})` : '–'),
              sla ? fact(t('firstResponseDue'), formatDateTime(sla.snapshot.firstResponseDue)) : null,
              sla ? fact(t('warningDue'), formatDateTime(sla.snapshot.warningDue)) : null,
              sla ? fact(t('breachDue'), formatDateTime(sla.snapshot.breachDue)) : null,
              sla ? fact(t('sla'), `${sla.policy}${sla.extension ? ` · +${sla.extension.reason}` : ''}`) : null)),
          actions.length && works ? h('section.panel.actions', { 'data-testid': 'ticket-actions' }, actions) : null),
        h('div.col', null,
          h('section.panel', null,
            h('h2', null, t('notes')),
            h('ol.notes', { 'data-testid': 'notes' }, view.notes.length === 0 ? h('li.empty', null, t('noNotes')) : view.notes.map(n =>
              h('li', null, h('div.meta', null, h('strong', null, n.author ?? '–'), ' · ', formatDateTime(n.at), h('span.muted', null, ` · ${n.source}`)), h('p', null, n.text)))),
            open && works ? textForm('add-note', 'text', t('addNote'), t('addNote'), text => api.note(id, text)) : null))));
    drafts();
  }

  const fact = (label: string, value: string | null) => [h('dt', null, label), h('dd', null, value ?? '–')];

  /** Notes what the forms under root hold and which control has focus; the returned function puts them back after a re-render. */
  function keepDrafts(root: Element): () => void {
    type Control = HTMLInputElement | HTMLTextAreaElement;
    const key = (el: Control) => `${el.form?.dataset.testid ?? ''}/${el.name}`;
    const values = new Map<string, string>();
    let focused: string | null = null;
    root.querySelectorAll<Control>('form[data-testid] input[name], form[data-testid] textarea[name]').forEach(el => {
      if (el.value) values.set(key(el), el.value);
      if (el === document.activeElement) focused = key(el);
    });
    return () => root.querySelectorAll<Control>('form[data-testid] input[name], form[data-testid] textarea[name]').forEach(el => {
      const value = values.get(key(el));
      if (value !== undefined && !el.value) el.value = value;
      if (key(el) === focused) el.focus();
    });
  }

  let queued = 0;
  const stop = onLive(({ data }) => {
    if (data.instanceId === id) {
      window.clearTimeout(queued);
      queued = window.setTimeout(() => void load(), 150);
    }
  });
  void load().catch(e => toast(describe(e)));
  return { title: 'ticket', cleanup: () => { disposed = true; stop(); window.clearInterval(interval); window.clearTimeout(queued); } };
}
