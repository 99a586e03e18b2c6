import { ApiError, http } from '../api';
import type { Context, Screen } from '../main';
import { h, mount } from '../dom';
import { formatDateTime, t, words } from '../i18n';
import { definitions } from '../designer/api';

/** One instance in a dry run or a result (InstanceMigrations.MigrationOutcome). */
interface Outcome { instanceId: string; journalVersion: number | null; canMove: boolean; moved: boolean; problems: { elementId: string | null; message: string }[] }

/** A proposal to move running instances between versions, with its trail (MigrationEndpoints.MigrationView). */
interface MigrationView {
  id: string; definitionKey: string; fromVersion: number; toVersion: number; status: 'Proposed' | 'Approved' | 'Applying' | 'Applied' | 'Rejected';
  mapping: Record<string, string>; instanceIds: string[]; proposedBy: string; proposedAt: string; note: string | null;
  dryRunBy: string | null; dryRunAt: string | null; dryRun: Outcome[] | null; decidedBy: string | null; decidedAt: string | null;
  appliedBy: string | null; appliedAt: string | null; result: Outcome[] | null;
}

interface ElementView { id: string; name: string | null; kind: string; purposes: string[] }
interface MappingView { mapping: Record<string, string>; matchedBy: Record<string, string>; unmapped: string[]; fromElements: ElementView[]; toElements: ElementView[] }
interface CandidateView { id: string; definitionKey: string; definitionVersion: number; channel: string; agent: string | null; customerRef: string | null; startedAt: string; version: number }

const { enc } = http;
const migrations = {
  list: () => http.get<MigrationView[]>('/api/migrations'),
  get: (id: string) => http.get<MigrationView>(`/api/migrations/${enc(id)}`),
  mapping: (key: string, from: number, to: number) => http.get<MappingView>(`/api/migrations/mapping?key=${enc(key)}&from=${from}&to=${to}`),
  candidates: (key: string, version: number) => http.get<CandidateView[]>(`/api/migrations/candidates?key=${enc(key)}&version=${version}`),
  propose: (body: { definitionKey: string; fromVersion: number; toVersion: number; mapping: Record<string, string>; instanceIds: string[]; note: string }) =>
    http.post<MigrationView>('/api/migrations', body),
  step: (id: string, step: 'dry-run' | 'approve' | 'reject' | 'apply') => http.post<MigrationView>(`/api/migrations/${enc(id)}/${step}`),
};

const w = words({
  id: {
    title: 'Migrasi instans berjalan',
    intro: 'Pindahkan percakapan dan tiket yang sedang berjalan dari satu versi alur ke versi lain yang sudah terbit. Pemetaan elemen diturunkan dari id dan peran (cc:purpose), lengkapi yang kosong; uji coba (dry run) menunjukkan per instans apakah bisa pindah; penyetuju selain pengusul menyetujui.',
    proposals: 'Usulan migrasi',
    none: 'Belum ada usulan.',
    propose: 'Usulkan migrasi',
    flow: 'Alur',
    fromVersion: 'Dari versi',
    toVersion: 'Ke versi (terbit)',
    loadMapping: 'Muat pemetaan',
    mapping: 'Pemetaan elemen',
    oldElement: 'Elemen versi lama',
    newElement: 'Elemen versi baru',
    matchedBy: 'Dicocokkan lewat',
    notMapped: '— tidak dipetakan —',
    byHand: 'manual',
    instances: 'Instans berjalan',
    noInstances: 'Tidak ada instans berjalan pada versi ini.',
    note: 'Catatan untuk penyetuju',
    submit: 'Kirim usulan',
    status: 'Status',
    proposedBy: 'Diusulkan oleh',
    dryRun: 'Uji coba (dry run)',
    runDryRun: 'Jalankan uji coba',
    approve: 'Setujui',
    reject: 'Tolak',
    apply: 'Terapkan',
    result: 'Hasil',
    instance: 'Instans',
    journalAt: 'Jurnal pada',
    canMove: 'Bisa pindah',
    blocked: 'Tidak bisa pindah',
    moved: 'Dipindahkan',
    notMoved: 'Tidak dipindahkan',
    decidedBy: 'Diputuskan oleh',
    appliedBy: 'Diterapkan oleh',
    back: 'Semua usulan',
    confirmApply: 'Terapkan migrasi ini? Instans yang masih sama seperti saat uji coba akan dipindahkan.',
    Proposed: 'Diusulkan',
    Approved: 'Disetujui',
    Applying: 'Sedang diterapkan',
    Applied: 'Diterapkan',
    Rejected: 'Ditolak',
  },
  en: {
    title: 'Running instance migration',
    intro: 'Move running conversations and tickets from one version of a flow to another published one. The element mapping is derived from ids and purposes (cc:purpose): complete what is empty; the dry run shows per instance whether it can move; an approver other than the proposer approves.',
    proposals: 'Migration proposals',
    none: 'No proposals yet.',
    propose: 'Propose a migration',
    flow: 'Flow',
    fromVersion: 'From version',
    toVersion: 'To version (published)',
    loadMapping: 'Load mapping',
    mapping: 'Element mapping',
    oldElement: 'Old version element',
    newElement: 'New version element',
    matchedBy: 'Matched by',
    notMapped: '— not mapped —',
    byHand: 'by hand',
    instances: 'Running instances',
    noInstances: 'No running instance on this version.',
    note: 'Note for the approver',
    submit: 'Submit proposal',
    status: 'Status',
    proposedBy: 'Proposed by',
    dryRun: 'Dry run',
    runDryRun: 'Run dry run',
    approve: 'Approve',
    reject: 'Reject',
    apply: 'Apply',
    result: 'Result',
    instance: 'Instance',
    journalAt: 'Journal at',
    canMove: 'Can move',
    blocked: 'Cannot move',
    moved: 'Moved',
    notMoved: 'Not moved',
    decidedBy: 'Decided by',
    appliedBy: 'Applied by',
    back: 'All proposals',
    confirmApply: 'Apply this migration? The instances still as the dry run saw them will move.',
    Proposed: 'Proposed',
    Approved: 'Approved',
    Applying: 'Being applied',
    Applied: 'Applied',
    Rejected: 'Rejected',
  },
});

function describe(e: ElementView): string {
  return `${e.name ?? e.id} (${e.kind}${e.purposes.length ? ', ' + e.purposes.join(', ') : ''}) · ${e.id}`;
}

/**
 * The designer's migration screens: the proposals, a form to propose one (versions, the mapping
 * derived from ids and purposes with a choice per element, the running instances), and a
 * proposal's page (dry run, approve or reject, apply, and the result per instance).
 */
export function renderMigrations(ctx: Context, id: string | null): Screen {
  const message = h('p.error', { role: 'alert', 'data-testid': 'migration-error', hidden: true });
  let disposed = false;

  function fail(e: unknown): void {
    const fields = e instanceof ApiError ? Object.entries(e.errors).map(([field, problems]) => `${field}: ${problems.join(' ')}`) : [];
    message.textContent = e instanceof ApiError ? [e.detail ?? e.title, ...fields].join(' · ') : `${t('error')}: ${String(e)}`;
    message.hidden = false;
  }

  const go = (path: string) => (e: MouseEvent) => { e.preventDefault(); ctx.navigate(path); };

  if (id) {
    const detail = h('div', { 'data-testid': 'migration' });
    mount(ctx.main, h('section.panel', null,
      h('p', null, h('a', { href: '/migrations', onclick: go('/migrations') }, w('back'))),
      h('h1', null, w('title')), message, detail));
    const show = (m: MigrationView) => { if (!disposed) mount(detail, ...proposalView(m)); };
    const act = (step: 'dry-run' | 'approve' | 'reject' | 'apply') => async () => {
      message.hidden = true;
      if (step === 'apply' && !confirm(w('confirmApply'))) return;
      try { show(await migrations.step(id, step)); } catch (e) { fail(e); }
    };
    function proposalView(m: MigrationView): (HTMLElement | null)[] {
      const roles = ctx.me.roles;
      const can = (...r: string[]) => r.some(x => roles.includes(x));
      const open = m.status === 'Proposed' || m.status === 'Approved';
      return [
        h('h2', null, `${m.definitionKey} v${m.fromVersion} → v${m.toVersion}`),
        h('dl.facts', null,
          h('dt', null, w('status')), h('dd', { 'data-testid': 'migration-status', 'data-status': m.status }, w(m.status)),
          h('dt', null, w('proposedBy')), h('dd', null, `${m.proposedBy} · ${formatDateTime(m.proposedAt)}`),
          m.note ? [h('dt', null, w('note')), h('dd', null, m.note)] : null,
          m.decidedBy ? [h('dt', null, w('decidedBy')), h('dd', { 'data-testid': 'migration-decided-by' }, `${m.decidedBy} · ${formatDateTime(m.decidedAt)}`)] : null,
          m.appliedBy ? [h('dt', null, w('appliedBy')), h('dd', null, `${m.appliedBy} · ${formatDateTime(m.appliedAt)}`)] : null),
        h('div.actions', null,
          open && can('ProcessOwner', 'Reviewer', 'Approver', 'Admin') ? h('button', { type: 'button', 'data-testid': 'dry-run', onclick: act('dry-run') }, w('runDryRun')) : null,
          m.status === 'Proposed' && m.dryRun && can('Approver') ? h('button', { type: 'button', 'data-testid': 'approve', onclick: act('approve') }, w('approve')) : null,
          open && can('Approver') ? h('button.secondary', { type: 'button', 'data-testid': 'reject', onclick: act('reject') }, w('reject')) : null,
          (m.status === 'Approved' || m.status === 'Applying') && can('ProcessOwner', 'Approver', 'Admin') ? h('button', { type: 'button', 'data-testid': 'apply', onclick: act('apply') }, w('apply')) : null),
        m.dryRun ? outcomes(`${w('dryRun')} · ${m.dryRunBy ?? ''} · ${formatDateTime(m.dryRunAt)}`, 'dry-run-outcomes', m.dryRun, false) : null,
        m.result ? outcomes(w('result'), 'result-outcomes', m.result, true) : null,
        h('details', null, h('summary', null, `${w('mapping')} (${Object.keys(m.mapping).length})`),
          h('ul.mapping', null, Object.entries(m.mapping).map(([from, to]) => h('li', null, from === to ? from : `${from} → ${to}`)))),
      ];
    }
    function outcomes(title: string, testId: string, list: Outcome[], applied: boolean): HTMLElement {
      return h('div', null, h('h3', null, title),
        h('table.queue', { 'data-testid': testId },
          h('thead', null, h('tr', null, h('th', null, w('instance')), h('th', null, w('journalAt')), h('th', null, w('status')))),
          h('tbody', null, list.map(o => {
            const ok = applied ? o.moved : o.canMove;
            return h('tr', { 'data-testid': 'outcome', 'data-instance': o.instanceId, class: ok ? undefined : 'muted' },
              h('td', null, h('code', null, o.instanceId)),
              h('td', null, o.journalVersion ?? '–'),
              h('td', null, h('strong', { 'data-testid': 'outcome-verdict' }, ok ? (applied ? w('moved') : w('canMove')) : (applied ? w('notMoved') : w('blocked'))),
                o.problems.length ? h('ul', null, o.problems.map(p => h('li', null, p.message))) : null));
          }))));
    }
    void migrations.get(id).then(show).catch(fail);
    return { title: 'menuMigrations', cleanup: () => { disposed = true; } };
  }

  const list = h('tbody');
  const form = h('div');
  mount(ctx.main,
    h('section.panel', null, h('h1', null, w('title')), h('p.muted', null, w('intro')), message,
      h('table.queue', { 'data-testid': 'migrations' },
        h('thead', null, h('tr', null, h('th', null, w('flow')), h('th', null, w('status')), h('th', null, w('proposedBy')), h('th', null, w('instances')))),
        list)),
    ctx.me.roles.includes('ProcessOwner') ? h('section.panel', null, h('h2', null, w('propose')), form) : null);

  async function load(): Promise<void> {
    const all = await migrations.list();
    if (disposed) return;
    mount(list, all.length === 0 ? h('tr', null, h('td', { colspan: 4 }, w('none'))) : all.map(m => h('tr', { 'data-testid': 'migration-row' },
      h('td', null, h('a', { href: `/migrations/${m.id}`, onclick: go(`/migrations/${m.id}`) }, `${m.definitionKey} v${m.fromVersion} → v${m.toVersion}`)),
      h('td', null, w(m.status)),
      h('td', null, `${m.proposedBy} · ${formatDateTime(m.proposedAt)}`),
      h('td', null, m.instanceIds.length))));
  }

  async function proposeForm(): Promise<void> {
    const flows = await definitions.list();
    if (disposed) return;
    const key = h('select', { name: 'key', 'data-testid': 'migration-key' }, flows.map(f => h('option', { value: f.key }, `${f.name} (${f.key})`)));
    const from = h('select', { name: 'from', 'data-testid': 'migration-from' });
    const to = h('select', { name: 'to', 'data-testid': 'migration-to' });
    const mappingArea = h('div', { 'data-testid': 'migration-mapping' });
    const fillVersions = () => {
      const flow = flows.find(f => f.key === key.value);
      const versions = flow?.versions ?? [];
      mount(from, versions.filter(v => v.status === 'Published' || v.status === 'Retired').map(v => h('option', { value: v.version }, `v${v.version} · ${v.status}`)));
      mount(to, versions.filter(v => v.status === 'Published').map(v => h('option', { value: v.version }, `v${v.version}`)));
      if (to.options.length > 0) to.selectedIndex = to.options.length - 1;
      mount(mappingArea);
    };
    key.addEventListener('change', fillVersions);
    fillVersions();

    const load = async () => {
      message.hidden = true;
      const [fromVersion, toVersion] = [Number(from.value), Number(to.value)];
      try {
        const [mapping, candidates] = await Promise.all([migrations.mapping(key.value, fromVersion, toVersion), migrations.candidates(key.value, fromVersion)]);
        mount(mappingArea, ...mappingForm(key.value, fromVersion, toVersion, mapping, candidates));
      } catch (e) { fail(e); }
    };
    mount(form,
      h('div.row', null,
        h('label', null, w('flow'), key), h('label', null, w('fromVersion'), from), h('label', null, w('toVersion'), to),
        h('button.secondary', { type: 'button', 'data-testid': 'load-mapping', onclick: () => void load() }, w('loadMapping'))),
      mappingArea);
  }

  function mappingForm(key: string, fromVersion: number, toVersion: number, view: MappingView, candidates: CandidateView[]): HTMLElement[] {
    const choices = new Map<string, HTMLSelectElement>();
    const rows = view.fromElements.map(e => {
      const derived = view.mapping[e.id] ?? '';
      const select = h('select', { 'data-testid': 'map', 'data-element': e.id },
        h('option', { value: '' }, w('notMapped')),
        view.toElements.map(n => h('option', { value: n.id }, describe(n))));
      select.value = derived;
      choices.set(e.id, select);
      const matched = h('td', { 'data-testid': 'matched-by' }, view.matchedBy[e.id] ?? '–');
      select.addEventListener('change', () => { matched.textContent = select.value === derived ? (view.matchedBy[e.id] ?? '–') : w('byHand'); });
      return h('tr', { class: derived ? undefined : 'attention' }, h('td', null, describe(e)), h('td', null, select), matched);
    });
    const boxes = candidates.map(c => h('input', { type: 'checkbox', value: c.id, checked: true, 'data-testid': 'candidate' }));
    const note = h('textarea', { name: 'note', rows: 2, 'data-testid': 'migration-note' });
    const submit = async () => {
      message.hidden = true;
      const overrides: Record<string, string> = {};
      for (const [element, select] of choices) {
        if (select.value !== (view.mapping[element] ?? '')) overrides[element] = select.value;
      }
      try {
        const created = await migrations.propose({
          definitionKey: key, fromVersion, toVersion, mapping: overrides,
          instanceIds: boxes.filter(b => b.checked).map(b => b.value), note: note.value,
        });
        ctx.navigate(`/migrations/${created.id}`);
      } catch (e) { fail(e); }
    };
    return [
      h('h3', null, w('mapping')),
      h('table.queue', null,
        h('thead', null, h('tr', null, h('th', null, w('oldElement')), h('th', null, w('newElement')), h('th', null, w('matchedBy')))),
        h('tbody', null, rows)),
      h('h3', null, w('instances')),
      candidates.length === 0 ? h('p.muted', null, w('noInstances')) : h('ul.candidates', null, candidates.map((c, i) => h('li', null,
        h('label', null, boxes[i], ` ${c.channel} · ${c.agent ?? c.customerRef ?? ''} · ${formatDateTime(c.startedAt)} · `, h('code', null, c.id))))),
      h('label', null, w('note'), note),
      h('div.actions', null, h('button', { type: 'button', 'data-testid': 'propose', onclick: () => void submit() }, w('submit'))),
    ];
  }

  void load().catch(fail);
  if (ctx.me.roles.includes('ProcessOwner')) void proposeForm().catch(fail);
  return { title: 'menuMigrations', cleanup: () => { disposed = true; } };
}
