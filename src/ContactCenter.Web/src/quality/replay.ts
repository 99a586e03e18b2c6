// /quality/{id}: one history for review. The facts and the exact-replay verdict; the diagram with
// the path taken and visit counts; a timeline through the journal showing, at every step, the
// event and the state after it (folded by the server's engine, never recomputed here); the SOP
// checklist whose evidence jumps to its step; and QC's manual review.
import { ApiError } from '../api';
import { formValues, h, mount } from '../dom';
import { formatDateTime, formatDuration, locale, t } from '../i18n';
import type { Context } from '../main';
import { quality, type ConversationLine, type ReplayStep, type ReplaySteps, type ReplayVerdict, type RuleResult, type ScorecardView, type StepState } from './api';
import type { PathDiagram, PathMarks } from './diagram';
import { lastSearchKey, scoreBadge } from './search';
import { eventWord, w } from './words';

/** Bookkeeping events a reviewer rarely needs: hidden when "main events only" is on. */
const minorTypes = new Set(['element-left@1', 'token-ended@1', 'message-subscribed@1', 'message-unsubscribed@1', 'scope-completed@1']);
const contextElement = '$context';
const mainOnlyKey = 'cc.quality.mainOnly';

export function formatStamp(iso: string | null | undefined): string {
  if (!iso) return '–';
  return new Date(iso).toLocaleString(locale(), { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'Asia/Jakarta' });
}

function clock(iso: string): string {
  return new Date(iso).toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'Asia/Jakarta' });
}

const isMinor = (s: ReplayStep) => minorTypes.has(s.type) || (s.type === 'variables-set@1' && s.details.elementId === contextElement);

function headline(s: ReplayStep): string {
  return s.type === 'variables-set@1' && s.details.elementId === contextElement ? eventWord('context@1') : eventWord(s.type);
}

function subject(s: ReplayStep): string | null {
  if (s.element) return s.element.name ?? s.element.elementId;
  if (s.type === 'scope-started@1' || s.type === 'instance-started@1') return `${String(s.details.definitionKey)} v${String(s.details.definitionVersion)}`;
  if (s.type === 'annotated@1') return String(s.details.kind ?? '');
  return null;
}

/** A journal value in words: text as it is, times in Jakarta time, lists and maps flattened. */
function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) ? formatStamp(value) : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? '–' : value.map(formatValue).join(', ');
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.length === 0 ? '–' : entries.map(([k, v]) => `${k} = ${formatValue(v)}`).join('; ');
}

export function renderReplay(ctx: Context, id: string, disposed: () => boolean): () => void {
  let data: ReplaySteps | null = null;
  let index = 0;
  let mainOnly = localStorage.getItem(mainOnlyKey) !== 'false';
  let follow = true;
  let diagram: PathDiagram | null = null;
  let shownKey: string | null = null;
  let diagramQueue: Promise<void> = Promise.resolve();
  const rows: HTMLElement[] = [];
  const marks = new Map<string, PathMarks>();

  const verdictBox = h('section.qc-verdict.pending', { 'data-testid': 'verdict', role: 'status' }, t('loading'));
  const factsBox = h('section.panel.qc-facts');
  const tabs = h('nav.tabs.qc-tabs', { 'data-testid': 'diagram-tabs' });
  const diagramBox = h('div.diagram.qc-diagram', { 'data-testid': 'diagram' });
  const list = h('ol.qc-events', { 'data-testid': 'timeline' });
  const slider = h('input.qc-slider', { type: 'range', min: 1, max: 1, value: 1, 'aria-label': w('timeline'), 'data-testid': 'slider' });
  const position = h('span.qc-position', { 'data-testid': 'position' });
  const stepBox = h('div.qc-step', { 'data-testid': 'step' });
  const checklistBox = h('section.panel.qc-checklist', { 'data-testid': 'checklist' }, h('h2', null, w('checklist')), h('p.muted', null, t('loading')));
  const reviewBox = h('section.panel.qc-review', { 'data-testid': 'review' });
  const header = h('div.detail-head');

  const button = (label: string, glyph: string, testId: string, onclick: () => void) =>
    h('button.secondary.qc-nav', { type: 'button', title: label, 'aria-label': label, 'data-testid': testId, onclick }, glyph);
  const mainToggle = h('input', { type: 'checkbox', checked: mainOnly, 'data-testid': 'main-only' });
  mainToggle.addEventListener('change', () => {
    mainOnly = mainToggle.checked;
    localStorage.setItem(mainOnlyKey, String(mainOnly));
    applyFilter();
  });
  const followToggle = h('input', { type: 'checkbox', checked: follow });
  followToggle.addEventListener('change', () => { follow = followToggle.checked; if (follow) void syncDiagram(); });
  slider.addEventListener('input', () => go(Number(slider.value) - 1));

  const back = sessionStorage.getItem(lastSearchKey) ?? '';
  mount(ctx.main,
    h('div.qc-replay', { 'data-instance': id },
      h('a.back', { href: `/quality${back}`, onclick: (e: MouseEvent) => { e.preventDefault(); ctx.navigate(`/quality${back}`); } }, `← ${w('back')}`),
      header,
      verdictBox,
      factsBox,
      h('div.qc-grid', null,
        h('div.qc-col', null,
          h('section.panel', null,
            h('div.qc-panel-head', null,
              h('h2', null, w('diagram')),
              tabs),
            diagramBox,
            h('div.qc-legend', null,
              h('span.qc-key.qc-key-path', null, w('legendPath')),
              h('span.qc-key.qc-key-count', null, h('span.qc-count', null, 'n'), ' ', w('legendCount')),
              h('span.qc-key.qc-key-now', null, w('legendNow')),
              h('span.qc-key.qc-key-event', null, w('legendEvent')),
              h('span.spacer'),
              h('label.qc-inline', null, followToggle, w('follow')),
              h('button.link', { type: 'button', onclick: () => diagram?.fit() }, w('fit')))),
          h('section.panel.qc-timeline', null,
            h('div.qc-panel-head', null,
              h('h2', null, w('timeline')),
              h('label.qc-inline', null, mainToggle, w('mainEvents'))),
            h('div.qc-controls', null,
              button(w('first'), '«', 'first', () => go(visible(0, 1))),
              button(w('previous'), '←', 'previous', () => step(-1)),
              slider,
              button(w('next'), '→', 'next', () => step(1)),
              button(w('last'), '»', 'last', () => go(visible(rows.length - 1, -1))),
              position),
            h('p.hint', null, w('keysHint')),
            list)),
        h('div.qc-col', null, h('section.panel.qc-step-panel', null, stepBox))),
      h('div.qc-bottom', null, checklistBox, reviewBox)));

  const onKey = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement | null;
    if (!data || e.altKey || e.ctrlKey || e.metaKey || (target && (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) && (target as HTMLInputElement).type !== 'range' && (target as HTMLInputElement).type !== 'checkbox') || target?.isContentEditable)) return;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      if ((target as HTMLInputElement | null)?.type === 'range') return; // the slider steps by itself
      e.preventDefault();
      step(e.key === 'ArrowLeft' ? -1 : 1);
    } else if (e.key === 'Home') { e.preventDefault(); go(visible(0, 1)); } else if (e.key === 'End') { e.preventDefault(); go(visible(rows.length - 1, -1)); }
  };
  document.addEventListener('keydown', onKey);

  void load();

  async function load(): Promise<void> {
    try {
      data = await quality.steps(id);
    } catch (e) {
      if (disposed()) return;
      const message = e instanceof ApiError && e.status === 404 ? w('notFound') : e instanceof ApiError && e.status === 403 ? w('forbidden') : `${w('loadFailed')}: ${String(e)}`;
      mount(ctx.main, h('section.panel.empty', { 'data-testid': 'replay-error' }, h('p.error', null, message)));
      return;
    }
    if (disposed()) return;
    document.title = `${t('menuQuality')} · ${data.instance.customerRef ?? id} · ${t('appName')}`;
    renderFacts(data);
    buildMarks(data);
    buildTimeline(data);
    const requested = Number(new URLSearchParams(location.search).get('step'));
    const start = Number.isInteger(requested) && requested >= 1 && requested <= data.replay.steps.length ? requested - 1 : data.replay.steps.length - 1;
    if (isMinor(data.replay.steps[start]) && mainOnly && requested) { mainOnly = false; mainToggle.checked = false; applyFilter(); }
    go(start, false);
    void loadVerdict();
    void loadScorecard();
  }

  function renderFacts(d: ReplaySteps): void {
    const f = d.instance;
    mount(header,
      h('h1', null, h('span.channel', { class: `ch-${f.channel}` }, t(`ch_${f.channel}`)), ' ', f.customerRef ?? '–'),
      h('span', { class: `badge status-${f.status}`, 'data-testid': 'status' }, t(`status_${f.status}`)),
      f.outcome.closedBySilence ? h('span.badge.qc-silence', null, w('closedBySilence')) : null,
      f.outcome.ticketsRaised > 0 ? h('span.badge.qc-ticket', null, `${w('ticketRaised')} ×${f.outcome.ticketsRaised}`) : null,
      h('span.muted.qc-id', null, f.id));
    const duration = f.endedAt ? formatDuration(Date.parse(f.endedAt) - Date.parse(f.startedAt)) : null;
    mount(factsBox,
      h('h2', null, w('facts')),
      h('dl.facts.qc-facts-grid', { 'data-testid': 'facts' },
        h('dt', null, w('channel')), h('dd', null, t(`ch_${f.channel}`)),
        h('dt', null, w('customer')), h('dd', null, f.customerRef ?? '–'),
        h('dt', null, w('agent')), h('dd', { 'data-testid': 'fact-agent' }, f.agent ?? '–'),
        h('dt', null, w('versions')), h('dd', { 'data-testid': 'fact-versions' }, f.definitions.map((x, i) => [i > 0 ? ', ' : '', h('code', null, `${x.key} v${x.version}`), x.name ? h('span.muted', null, ` (${x.name})`) : null])),
        h('dt', null, w('started')), h('dd', null, formatStamp(f.startedAt)),
        h('dt', null, w('ended')), h('dd', null, f.endedAt ? `${formatStamp(f.endedAt)} · ${w('duration')} ${duration}` : t(`status_${f.status}`)),
        h('dt', null, w('endReason')), h('dd', { 'data-testid': 'fact-end' },
          f.outcome.closedBySilence ? `${w('closedBySilence')} (${formatStamp(f.outcome.silenceClosedAt)})` : f.endReason ?? (f.endedAt ? t(`status_${f.status}`) : '–')),
        h('dt', null, w('prompts')), h('dd', null, String(f.outcome.promptsSent)),
        h('dt', null, w('tickets')), h('dd', null, f.tickets.length === 0 ? (f.outcome.ticketsRaised > 0 ? String(f.outcome.ticketsRaised) : w('none')) : f.tickets.map((x, i) => [i > 0 ? ', ' : '',
          h('a', { href: `/quality/${x.id}`, onclick: (e: MouseEvent) => { e.preventDefault(); ctx.navigate(`/quality/${x.id}`); } }, `${x.id.slice(0, 8)}… (${t(`status_${x.status}`)})`)])),
        f.documentation ? [
          h('dt', null, w('documentation')),
          h('dd', { 'data-testid': 'fact-documentation' }, h('dl.facts.qc-doc', null,
            h('dt', null, w('docCategory')), h('dd', { 'data-testid': 'doc-category' }, f.documentation.category ?? '–'),
            h('dt', null, w('docProduct')), h('dd', null, f.documentation.product ?? '–'),
            h('dt', null, w('docSummary')), h('dd', null, f.documentation.summary ?? '–'),
            h('dt', null, w('docOot')), h('dd', { 'data-testid': 'doc-oot' }, f.documentation.outOfTopic === null ? '–' : w(f.documentation.outOfTopic ? 'yes' : 'no')),
            h('dt', null, w('docTicket')), h('dd', { 'data-testid': 'doc-ticket' }, f.documentation.ticketNumber ?? '–')))] : null,
        f.parentInstanceId ? [h('dt', null, w('sourceConversation')), h('dd', null, h('a', { href: `/quality/${f.parentInstanceId}`, onclick: (e: MouseEvent) => { e.preventDefault(); ctx.navigate(`/quality/${f.parentInstanceId}`); } }, f.parentInstanceId))] : null));
    mount(tabs, f.definitions.map(x => h('a', {
      href: '#', 'data-key': x.key, 'data-testid': 'diagram-tab', title: x.name ?? x.key,
      onclick: (e: MouseEvent) => { e.preventDefault(); follow = false; followToggle.checked = false; void showKey(x.key); },
    }, `${x.key} v${x.version}`)));
  }

  function buildMarks(d: ReplaySteps): void {
    for (const x of d.instance.definitions) marks.set(x.key, { visits: new Map(), flows: new Set() });
    for (const v of d.replay.visits) marks.get(v.definitionKey)?.visits.set(v.id, v.count);
    for (const f of d.replay.flows) marks.get(f.definitionKey)?.flows.add(f.id);
  }

  function buildTimeline(d: ReplaySteps): void {
    slider.max = String(d.replay.steps.length);
    rows.length = 0;
    d.replay.steps.forEach((s, i) => {
      const what = subject(s);
      const row = h('li.qc-event', {
        'data-testid': 'event', 'data-sequence': String(s.sequence), 'data-type': s.type, class: isMinor(s) ? 'minor' : undefined,
        tabindex: -1, onclick: () => go(i),
      },
      h('span.qc-seq', null, `#${s.sequence}`),
      h('time', null, clock(s.at)),
      h('span.qc-what', null, h('strong', null, headline(s)), what ? h('span', null, ` · ${what}`) : null,
        s.type === 'work-item-completed@1' && typeof s.details.outcome === 'string' ? h('em', null, ` → ${s.details.outcome}`) : null),
      s.actor ? h('span.qc-actor.muted', null, s.actor) : null);
      rows.push(row);
    });
    mount(list, rows);
    applyFilter();
  }

  function applyFilter(): void {
    if (!data) return;
    data.replay.steps.forEach((s, i) => rows[i].classList.toggle('hidden', mainOnly && isMinor(s) && i !== index));
  }

  /** The nearest visible step from i in direction dir (1 or -1), or i itself. */
  function visible(i: number, dir: number): number {
    for (let j = i; j >= 0 && j < rows.length; j += dir) if (!rows[j].classList.contains('hidden') || j === index) return j;
    return i;
  }

  function step(dir: number): void {
    for (let j = index + dir; j >= 0 && j < rows.length; j += dir) {
      if (!(mainOnly && isMinor(data!.replay.steps[j]))) { go(j); return; }
    }
  }

  function go(i: number, pushUrl = true): void {
    if (!data || i < 0 || i >= data.replay.steps.length) return;
    rows[index]?.classList.remove('current');
    rows[index]?.removeAttribute('aria-current');
    index = i;
    const s = data.replay.steps[i];
    rows[i].classList.add('current');
    rows[i].setAttribute('aria-current', 'step');
    applyFilter();
    rows[i].scrollIntoView({ block: 'nearest' });
    slider.value = String(i + 1);
    position.textContent = `${w('stepOf')} ${i + 1} ${w('of')} ${data.replay.steps.length}`;
    if (pushUrl) history.replaceState(null, '', `/quality/${id}?step=${s.sequence}`);
    renderStep(s);
    void syncDiagram();
  }

  function renderStep(s: ReplayStep): void {
    const what = subject(s);
    const quoted = typeof s.details.text === 'string' ? s.details.text : typeof s.details.script === 'string' ? s.details.script : null;
    const shown = new Set(['text', 'script', 'name', 'elementId', 'step']);
    const empty = (v: unknown) => v === null || v === undefined || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);
    const details = Object.entries(s.details).filter(([k, v]) => !shown.has(k) && !empty(v));
    mount(stepBox,
      h('div.qc-step-head', null,
        h('span.qc-seq.big', null, `#${s.sequence}`),
        h('div', null,
          h('h2', { 'data-testid': 'step-title' }, headline(s), what ? h('span.muted', null, ` · ${what}`) : null),
          h('p.muted.qc-meta', null, `${formatStamp(s.at)} · ${w('actor')}: ${s.actor ?? w('system')}`,
            s.element ? [' · ', h('code', null, `${s.element.definitionKey}/${s.element.elementId}`)] : null,
            typeof s.details.step === 'string' ? [' · ', h('span.step', null, `${t('step')} ${s.details.step}`)] : null))),
      quoted ? h('blockquote.script', { 'data-testid': 'step-text' }, quoted) : null,
      details.length ? h('dl.facts.qc-details', null, details.map(([k, v]) => [h('dt', null, k), h('dd', null, formatValue(v))])) : null,
      h('details.qc-raw', null, h('summary', null, w('rawJson')), h('pre', null, JSON.stringify({ type: s.type, sequence: s.sequence, at: s.at, actor: s.actor, ...s.details }, null, 2))),
      s.state ? stateView(s.state, s) : h('p.error', null, `${w('noState')}${data?.replay.foldProblem ? `: ${data.replay.foldProblem.message}` : ''}`),
      conversationView(data!.replay.conversation, s.sequence));
  }

  function stateView(state: StepState, s: ReplayStep): HTMLElement {
    const since = (iso: string) => {
      const ms = Date.parse(iso) - Date.parse(s.at);
      return ms >= 0 ? ` (+${formatDuration(ms)})` : '';
    };
    const where = (key: string, name: string | null, elementId: string) => [h('span.qc-key-def', null, key), ' › ', name ?? elementId];
    return h('section.qc-state', { 'data-testid': 'state' },
      h('h3', null, w('stateAfter'), ' ', h('span', { class: `badge status-${state.status}`, 'data-testid': 'state-status' }, t(`status_${state.status}`)),
        state.endReason ? h('span.muted', null, ` ${state.endReason}`) : null),
      h('div.qc-state-grid', null,
        h('div', null,
          h('h4', null, w('openTasks')),
          h('ul.qc-list', { 'data-testid': 'state-tasks' }, state.workItems.length === 0 ? h('li.muted', null, w('none')) : state.workItems.map(x =>
            h('li', { 'data-element': x.elementId },
              x.step ? h('span.step', null, `${t('step')} ${x.step}`) : null, ' ', h('strong', null, x.name ?? x.elementId),
              x.lane ? h('span.muted', null, ` · ${x.lane}`) : null,
              x.outcomes.length ? h('span.muted', null, ` · ${x.outcomes.join(' / ')}`) : null,
              h('span.muted', null, ` · ${clock(x.createdAt)}`)))),
          h('h4', null, w('timers')),
          h('ul.qc-list', { 'data-testid': 'state-timers' }, state.timers.length === 0 ? h('li.muted', null, w('none')) : state.timers.map(x =>
            h('li', { 'data-element': x.elementId }, where(x.definitionKey, x.name, x.elementId), h('span.muted', null, ` · ${w('due')} ${formatStamp(x.dueAt)}${since(x.dueAt)}`),
              x.slaPolicy ? h('span.badge', null, x.slaPolicy) : null, x.held ? h('em', null, ` (${w('held')})`) : null))),
          h('h4', null, w('waits')),
          h('ul.qc-list', { 'data-testid': 'state-waits' }, state.waits.length === 0 ? h('li.muted', null, w('none')) : state.waits.map(x =>
            h('li', null, where(x.definitionKey, x.name, x.elementId), h('span.muted', null, ` · ${x.messageName}`)))),
          h('h4', null, w('tokens')),
          h('ul.qc-list', { 'data-testid': 'state-tokens' }, state.tokens.length === 0 ? h('li.muted', null, w('none')) : state.tokens.map(x =>
            h('li', { 'data-element': x.elementId }, where(x.definitionKey, x.name, x.elementId))))),
        h('div', null,
          h('h4', null, w('variables')),
          h('table.qc-vars', { 'data-testid': 'state-variables' }, h('tbody', null, Object.entries(state.variables).map(([k, v]) =>
            h('tr', { class: state.changed.includes(k) ? 'changed' : undefined }, h('th', null, k), h('td', null, formatValue(v),
              state.changed.includes(k) ? h('span.qc-changed', null, w('changed')) : null))))))));
  }

  function conversationView(lines: ConversationLine[], upTo: number): HTMLElement {
    const said = lines.filter(l => l.sequence <= upTo);
    const log = h('ol.messages.qc-messages', { 'data-testid': 'conversation' }, said.length === 0 ? h('li.empty', null, w('noMessages')) : said.map(line =>
      h('li', { class: `msg ${line.kind}${line.sequence === upTo ? ' now' : ''}` },
        h('span.who', null, line.kind === 'customer' ? w('customerSaid') : line.kind === 'agent' ? w('agentSaid') : w('promptSent'), line.step ? ` · ${t('step')} ${line.step}` : ''),
        h('span.text', null, line.text),
        h('time', null, `#${line.sequence} · ${clock(line.at)}`))));
    queueMicrotask(() => { log.scrollTop = log.scrollHeight; });
    return h('section.qc-conv', null, h('h3', null, w('conversationSoFar')), log);
  }

  function syncDiagram(): Promise<void> {
    diagramQueue = diagramQueue.then(async () => {
      if (!data || disposed()) return;
      const s = data.replay.steps[index];
      const wanted = follow && s.element && marks.has(s.element.definitionKey) ? s.element.definitionKey : shownKey ?? data.instance.definitionKey;
      await showKey(wanted, false);
    }).catch(() => undefined);
    return diagramQueue;
  }

  async function showKey(key: string, queued = true): Promise<void> {
    if (queued) { diagramQueue = diagramQueue.then(() => showKey(key, false)).catch(() => undefined); return diagramQueue; }
    if (!data || disposed()) return;
    const definition = data.instance.definitions.find(x => x.key === key);
    if (!definition) return;
    try {
      if (!diagram) {
        const { PathDiagram } = await import('./diagram');
        if (disposed()) return;
        diagram = new PathDiagram(diagramBox, n => `${n}×`);
      }
      await diagram.show(key, definition.version, marks.get(key)!);
      shownKey = key;
      for (const a of tabs.querySelectorAll('a')) a.classList.toggle('active', a.dataset.key === key);
      const s = data.replay.steps[index];
      const tokens = (s.state?.tokens ?? []).filter(x => x.definitionKey === key).map(x => x.elementId);
      // With no event element or token here (a step of another flow, the end), keep the latest element of this flow in view.
      const latest = data.replay.steps.slice(0, index + 1).reverse().find(x => x.type === 'element-entered@1' && x.element?.definitionKey === key);
      diagram.mark(tokens, s.element?.definitionKey === key ? s.element.elementId : null, latest?.element?.elementId ?? null);
      diagramBox.dataset.definition = `${key}@${definition.version}`;
      diagramBox.dataset.step = String(s.sequence);
      diagramBox.dataset.ready = 'true';
    } catch {
      diagramBox.dataset.ready = 'false';
      mount(diagramBox, h('p.error', null, w('diagramFailed')));
    }
  }

  async function loadVerdict(): Promise<void> {
    let verdict: ReplayVerdict;
    try {
      verdict = await quality.verdict(id);
    } catch (e) {
      if (disposed()) return;
      verdictBox.className = 'qc-verdict diverges';
      mount(verdictBox, `${w('loadFailed')}: ${String(e)}`);
      return;
    }
    if (disposed()) return;
    const d = verdict.replay.divergence;
    verdictBox.className = `qc-verdict ${verdict.matches ? 'matches' : 'diverges'}`;
    verdictBox.dataset.matches = String(verdict.matches);
    if (verdict.matches) {
      mount(verdictBox, h('strong', null, `✔ ${w('verdictMatches')}`), h('span', null, ` · ${w('verdictMatchesDetail')} (${verdict.replay.eventsChecked}/${verdict.replay.eventsInJournal})`));
      return;
    }
    mount(verdictBox,
      h('strong.qc-verdict-title', null, `✖ ${w('verdictDiverges')}`),
      d ? h('p', null, `${w('verdictAt')} `, h('button.link', { type: 'button', 'data-testid': 'divergence-step', onclick: () => jumpTo(d.sequence) }, `#${d.sequence}`), `: ${d.reason}`) : null,
      d ? h('div.qc-diff', null,
        h('div', null, h('h4', null, w('expected')), h('pre', null, d.expected ?? '–')),
        h('div', null, h('h4', null, w('actual')), h('pre', null, d.actual ?? '–'))) : null,
      !verdict.snapshotMatches && !d ? h('p', null, w('snapshotDiffers')) : null);
  }

  function jumpTo(sequence: number): void {
    if (!data) return;
    const i = data.replay.steps.findIndex(s => s.sequence === sequence);
    if (i < 0) return;
    if (mainOnly && isMinor(data.replay.steps[i])) { mainOnly = false; mainToggle.checked = false; localStorage.setItem(mainOnlyKey, 'false'); }
    go(i);
    rows[i].focus({ preventScroll: true });
    stepBox.closest('.panel')?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }

  async function loadScorecard(): Promise<void> {
    let view: ScorecardView;
    try {
      view = await quality.scorecard(id);
    } catch (e) {
      if (disposed()) return;
      mount(checklistBox, h('h2', null, w('checklist')), h('p.muted', null, e instanceof ApiError && e.status === 404 ? w('checklistNone') : `${t('error')}: ${String(e)}`));
      renderReview(null);
      return;
    }
    if (disposed()) return;
    const card = view.scorecard;
    mount(checklistBox,
      h('div.qc-panel-head', null,
        h('h2', null, w('checklist')),
        h('span.qc-summary', null, w('score'), ' ', scoreBadge(card.score, card.failed), ' ',
          h('span.qc-tally.passed', null, `${card.passed} ${w('passed')}`), ' ',
          h('span.qc-tally.failed', null, `${card.failed} ${w('failed')}`), ' ',
          h('span.qc-tally.na', null, `${card.notApplicable} ${w('notApplicable')}`))),
      h('ol.qc-rules', null, card.rules.map(rule)));
    renderReview(view);
  }

  function rule(r: RuleResult): HTMLElement {
    const label = r.outcome === 'Passed' ? w('passed') : r.outcome === 'Failed' ? w('failed') : w('notApplicable');
    return h('li', { class: `qc-rule ${r.outcome}`, 'data-testid': 'rule', 'data-rule': r.rule.id, 'data-outcome': r.outcome },
      h('span', { class: `qc-outcome ${r.outcome}` }, label),
      h('div.qc-rule-body', null,
        h('h3', null, r.rule.title),
        h('p.qc-rule-summary', null, r.summary),
        h('p.qc-sop.muted', null, `${w('sop')}: ${r.rule.sopSource}`),
        r.evidence.length ? h('ul.qc-evidence', null, r.evidence.map(x => h('li', null,
          h('button.link', { type: 'button', 'data-testid': 'evidence', 'data-sequence': String(x.sequence), title: w('goToStep'), onclick: () => jumpTo(x.sequence) }, `#${x.sequence}`),
          h('span.muted', null, ` ${clock(x.at)} · `), x.what))) : null));
  }

  function renderReview(view: ScorecardView | null): void {
    const canReview = ctx.me.roles.includes('QualityControl');
    const reviews = view?.reviews ?? [];
    const form = h('form.qc-review-form', {
      'data-testid': 'review-form',
      onsubmit: async (e: SubmitEvent) => {
        e.preventDefault();
        const values = formValues(form);
        const submit = form.querySelector('button[type=submit]') as HTMLButtonElement;
        submit.disabled = true;
        try {
          await quality.review(id, Number(values.score), values.note.trim() || null);
          toast(w('saved'));
          await loadScorecard();
        } catch (err) {
          submit.disabled = false;
          toast(err instanceof ApiError ? `${err.title}${err.detail ? `: ${err.detail}` : ''} ${Object.values(err.errors).flat().join('; ')}` : String(err));
        }
      },
    },
    h('label', null, w('reviewScoreLabel'), h('input', { type: 'number', name: 'score', min: 0, max: 100, step: 1, required: true, 'data-testid': 'review-score' })),
    h('label', null, w('note'), h('textarea', { name: 'note', rows: 4, maxlength: 4000, 'data-testid': 'review-note' })),
    h('button', { type: 'submit', 'data-testid': 'review-save' }, w('save')));
    mount(reviewBox,
      h('h2', null, w('review')),
      canReview ? form : null,
      h('h3', null, w('reviews')),
      h('ol.notes', { 'data-testid': 'reviews' }, reviews.length === 0 ? h('li.muted', null, w('noReviews')) : [...reviews].reverse().map(r =>
        h('li', { 'data-testid': 'review-item' },
          h('div.meta', null, h('strong', null, `${r.score}/100`), h('span.muted', null, ` · ${w('by')} ${r.reviewer} · ${formatDateTime(r.reviewedAt)}`)),
          r.note ? h('p', null, r.note) : null))));
  }

  function toast(message: string): void {
    const el = h('div.toast', { role: 'alert' }, message);
    document.body.appendChild(el);
    window.setTimeout(() => el.remove(), 5000);
  }

  return () => {
    document.removeEventListener('keydown', onKey);
    diagram?.destroy();
  };
}
