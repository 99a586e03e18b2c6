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

interface Expectation { name: string; passed: boolean; detail: string }
interface SampleRun { name: string; title: string | null; workflow: string; passed: boolean; error: string | null; expectations: Expectation[]; path: string[]; flows: string[] }
interface SampleReport { definitionKey: string; version: number; samples: SampleRun[] }

const sw = words({
  id: {
    title: 'Contoh percakapan pada versi ini',
    intro: 'Contoh percakapan SOP (samples/conversations) disimulasikan pada versi ini, alur lain pada versi yang berlaku sekarang. Klik sebuah contoh untuk melihat jalurnya pada diagram.',
    running: 'Menyimulasikan…',
    none: 'Tidak ada contoh percakapan untuk alur ini.',
    summary: '{passed} dari {n} contoh lolos, {failed} gagal.',
    sample: 'Contoh',
    flow: 'Alur',
    result: 'Hasil',
    why: 'Keterangan',
    passed: 'Lolos',
    failed: 'Gagal',
    showPath: 'Tampilkan jalur',
  },
  en: {
    title: 'Sample conversations on this version',
    intro: 'The SOP\'s sample conversations (samples/conversations) simulated against this version, the other flows at the versions in effect now. Click a sample to see its path on the diagram.',
    running: 'Simulating…',
    none: 'No sample conversation for this flow.',
    summary: '{passed} of {n} samples pass, {failed} fail.',
    sample: 'Sample',
    flow: 'Flow',
    result: 'Result',
    why: 'Detail',
    passed: 'Pass',
    failed: 'Fail',
    showPath: 'Show path',
  },
});

/**
 * The samples panel of a version not in effect yet: every sample conversation simulated against
 * it as soon as it opens (reviewers and approvers see it before deciding), pass or fail per
 * sample with why, and a sample's path highlighted on the diagram when chosen.
 */
export function samplesPanel(key: string, version: number, showPath: (ids: string[]) => void): HTMLElement {
  const output = h('div', { 'data-testid': 'samples-result' }, h('p.muted', null, sw('running')));
  const why = (s: SampleRun) => s.error ?? s.expectations.filter(e => !e.passed).map(e => `${e.name}: ${e.detail}`).join('; ');

  function show(report: SampleReport): void {
    if (report.samples.length === 0) { mount(output, h('p.muted', null, sw('none'))); return; }
    const passed = report.samples.filter(s => s.passed).length;
    const rows = report.samples.map(s => {
      const row = h('tr', { 'data-testid': 'sample', 'data-sample': s.name, 'data-passed': String(s.passed) },
        h('td', null, h('button.link', { type: 'button', 'data-testid': 'sample-path', title: sw('showPath') }, s.title ?? s.name), h('div.muted', null, s.name)),
        h('td', null, s.workflow),
        h('td', null, h(s.passed ? 'span.badge.ok' : 'span.badge.bad', { 'data-testid': 'sample-verdict' }, s.passed ? sw('passed') : sw('failed'))),
        h('td', null, why(s)));
      row.querySelector('button')!.addEventListener('click', () => {
        for (const other of rows) other.classList.remove('cc-chosen');
        row.classList.add('cc-chosen');
        showPath([...s.path, ...s.flows]);
      });
      return row;
    });
    mount(output,
      h('p', { 'data-testid': 'samples-summary' }, fill(sw('summary'), { passed, n: report.samples.length, failed: report.samples.length - passed })),
      h('table.queue', null,
        h('thead', null, h('tr', null, h('th', null, sw('sample')), h('th', null, sw('flow')), h('th', null, sw('result')), h('th', null, sw('why')))),
        h('tbody', null, rows)));
  }

  http.get<SampleReport>(`/api/definitions/${encodeURIComponent(key)}/versions/${version}/samples`)
    .then(show)
    .catch(e => mount(output, h('p.error', { role: 'alert' }, e instanceof ApiError ? (e.detail ?? e.title) : `${t('error')}: ${String(e)}`)));
  return h('section.panel.cc-samples', { 'data-testid': 'samples' }, h('h2', null, sw('title')), h('p.muted', null, sw('intro')), output);
}
