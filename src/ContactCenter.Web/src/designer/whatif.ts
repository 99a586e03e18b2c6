// What-if where the decision is made (issue 13 item 5): the designer replays real conversations of
// the last days against a version that is not published yet, before anyone checks or approves it.
import { ApiError, http } from '../api';
import type { Context } from '../main';
import { h, mount } from '../dom';
import { formatDateTime, t, words } from '../i18n';

interface PathStep { index: number; sequence: number; at: string; definitionKey: string; elementId: string }
interface Outcome { status: string; closedBySilence: boolean; ticketsRaised: number }
interface Report { original: Outcome; candidate: Outcome; divergence: { index: number; original: PathStep | null; candidate: PathStep | null } | null; misfits: unknown[] }
interface Conversation { instanceId: string; definitionKey: string; channel: string; startedAt: string; report: Report | null; error: string | null }
interface Summary { conversations: number; diverged: number; outcomeShifted: number; closedBySilenceBefore: number; closedBySilenceAfter: number; ticketsBefore: number; ticketsAfter: number; misfits: number }
interface Batch { conversations: Conversation[]; summary: Summary; failed: number }

const w = words({
  id: {
    title: 'Apa jadinya bagi nasabah (what-if)',
    intro: 'Putar ulang percakapan nyata beberapa hari terakhir pada versi ini: berapa yang jalurnya sama, di mana yang lain pertama kali berbeda, dan hasil yang bergeser.',
    days: 'Hari terakhir',
    run: 'Putar ulang percakapan nyata',
    running: 'Memutar ulang…',
    none: 'Tidak ada percakapan pada periode ini.',
    summary: '{n} percakapan diputar ulang: {same} jalurnya sama, {diverged} berbeda; hasil bergeser pada {shifted}. Ditutup karena diam: {silenceBefore} → {silenceAfter}. Tiket: {ticketsBefore} → {ticketsAfter}. Input yang tidak cocok: {misfits}.',
    conversation: 'Percakapan',
    started: 'Mulai',
    firstDivergence: 'Pertama berbeda',
    outcome: 'Hasil',
    recordingWent: 'rekaman ke {original}, versi ini ke {candidate}',
  },
  en: {
    title: 'What changes for customers (what-if)',
    intro: 'Replay the real conversations of the last days against this version: how many take the same path, where the others first diverge, and the outcome shifts.',
    days: 'Last days',
    run: 'Replay real conversations',
    running: 'Replaying…',
    none: 'No conversation in this period.',
    summary: '{n} conversations replayed: {same} take the same path, {diverged} diverge; outcome shifted in {shifted}. Closed for silence: {silenceBefore} → {silenceAfter}. Tickets: {ticketsBefore} → {ticketsAfter}. Inputs that no longer fit: {misfits}.',
    conversation: 'Conversation',
    started: 'Started',
    firstDivergence: 'First divergence',
    outcome: 'Outcome',
    recordingWent: 'the recording went to {original}, this version to {candidate}',
  },
});

function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}

/** The what-if panel of a version: a period, a button, the summary and each diverging conversation with a link to its replay. */
export function whatIfPanel(ctx: Context, key: string, version: number): HTMLElement {
  const days = h('input', { type: 'number', min: 1, max: 90, value: 7, 'data-testid': 'what-if-days' });
  const output = h('div', { 'data-testid': 'what-if-result' });
  const button = h('button.secondary', { type: 'button', 'data-testid': 'what-if-run' }, w('run'));
  const replay = (conversation: Conversation) => `/quality/${conversation.instanceId}`;

  async function run(): Promise<void> {
    button.disabled = true;
    mount(output, h('p.muted', null, w('running')));
    try {
      const startedFrom = new Date(Date.now() - Number(days.value || 7) * 86_400_000).toISOString();
      const ask = (definitionKey: string | null) => http.post<Batch>('/api/what-if', { candidate: { [key]: version }, definitionKey, startedFrom, limit: 200 });
      // The flow's own conversations; for a flow others call (the silence ladder), those of every flow.
      let batch = await ask(key);
      if (batch.conversations.length === 0) batch = await ask(null);
      show(batch);
    } catch (e) {
      mount(output, h('p.error', { role: 'alert' }, e instanceof ApiError ? (e.detail ?? e.title) : `${t('error')}: ${String(e)}`));
    } finally {
      button.disabled = false;
    }
  }

  function show(batch: Batch): void {
    const s = batch.summary;
    if (batch.conversations.length === 0) { mount(output, h('p.muted', null, w('none'))); return; }
    const diverged = batch.conversations.filter(c => c.report?.divergence);
    const place = (step: PathStep | null) => (step ? `${step.definitionKey}/${step.elementId}` : '–');
    mount(output,
      h('p', { 'data-testid': 'what-if-summary' }, fill(w('summary'), {
        n: s.conversations, same: s.conversations - s.diverged, diverged: s.diverged, shifted: s.outcomeShifted,
        silenceBefore: s.closedBySilenceBefore, silenceAfter: s.closedBySilenceAfter, ticketsBefore: s.ticketsBefore, ticketsAfter: s.ticketsAfter, misfits: s.misfits,
      })),
      diverged.length === 0 ? null : h('table.queue', { 'data-testid': 'what-if-diverged' },
        h('thead', null, h('tr', null, h('th', null, w('conversation')), h('th', null, w('started')), h('th', null, w('firstDivergence')), h('th', null, w('outcome')))),
        h('tbody', null, diverged.map(c => h('tr', { 'data-testid': 'what-if-conversation' },
          h('td', null, h('a', { href: replay(c), onclick: (e: MouseEvent) => { e.preventDefault(); ctx.navigate(replay(c)); } }, `${c.channel} · ${c.instanceId.slice(0, 8)}`)),
          h('td', null, formatDateTime(c.startedAt)),
          h('td', null, fill(w('recordingWent'), { original: place(c.report!.divergence!.original), candidate: place(c.report!.divergence!.candidate) })),
          h('td', null, `${c.report!.original.status} → ${c.report!.candidate.status}`))))));
  }

  button.addEventListener('click', () => void run());
  return h('section.panel.cc-what-if', { 'data-testid': 'what-if' },
    h('h2', null, w('title')), h('p.muted', null, w('intro')),
    h('div.row', null, h('label', null, w('days'), days), button),
    output);
}
