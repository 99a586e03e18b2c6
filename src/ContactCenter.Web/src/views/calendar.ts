import { ApiError, http, JsonText } from '../api';
import type { Context, Screen } from '../main';
import { h, mount } from '../dom';
import { formatDateTime, t, words } from '../i18n';

type Kind = 'NationalHoliday' | 'CutiBersama';
interface HolidayView { date: string; kind: Kind; name: string }
interface YearSummary { year: number; origin: 'Bundled' | 'Maintained'; source: string | null; entries: number; revision: number; changedBy: string | null; changedAt: string | null }
interface YearsResponse { years: YearSummary[]; missing: number[]; problem: string | null }
interface YearView { year: number; origin: 'Bundled' | 'Maintained'; revision: number; source: string | null; entries: HolidayView[] }
interface ChangeView { id: number; year: number; actor: string; at: string; action: string; details: string }

/** The calendar file format (workflows/calendar/<year>.json), which the server reads and writes. */
interface YearFile { year: number; source?: string; entries: { date: string; kind: 'nationalHoliday' | 'cutiBersama'; name: string }[] }

const calendar = {
  years: () => http.get<YearsResponse>('/api/calendar/years'),
  year: (year: number) => http.get<YearView>(`/api/calendar/years/${year}`),
  save: (year: number, revision: number, body: YearFile | JsonText, fileName?: string) =>
    http.request<YearView>('PUT', `/api/calendar/years/${year}?revision=${revision}${fileName ? `&fileName=${http.enc(fileName)}` : ''}`, body),
  changes: () => http.get<ChangeView[]>('/api/calendar/years/changes?limit=30'),
};

const w = words({
  id: {
    title: 'Kalender hari libur',
    intro: 'Hari libur nasional dan cuti bersama per tahun. Tenggat SLA dan salam membaca data ini; tahun tanpa data dihitung sebagai hari kerja biasa.',
    year: 'Tahun',
    origin: 'Asal',
    bundled: 'Bawaan (berkas)',
    maintained: 'Dikelola di aplikasi',
    source: 'Sumber',
    entries: 'Jumlah hari',
    revision: 'Revisi',
    changed: 'Diubah',
    edit: 'Ubah',
    download: 'Unduh berkas',
    addYear: 'Tambah tahun',
    importFile: 'Impor berkas (.json)',
    date: 'Tanggal',
    kind: 'Jenis',
    name: 'Nama',
    nationalHoliday: 'Libur nasional',
    cutiBersama: 'Cuti bersama',
    addRow: 'Tambah tanggal',
    remove: 'Hapus',
    save: 'Simpan',
    cancel: 'Batal',
    editing: 'Mengubah',
    history: 'Riwayat perubahan',
    saved: 'Tersimpan',
    noYear: 'Isi tahun antara 1900 dan 2200.',
  },
  en: {
    title: 'Holiday calendar',
    intro: 'National holidays and cuti bersama by year. SLA deadlines and greetings read them; a year without data counts every weekday as a working day.',
    year: 'Year',
    origin: 'Origin',
    bundled: 'Bundled (file)',
    maintained: 'Maintained in the app',
    source: 'Source',
    entries: 'Days',
    revision: 'Revision',
    changed: 'Changed',
    edit: 'Edit',
    download: 'Download file',
    addYear: 'Add year',
    importFile: 'Import file (.json)',
    date: 'Date',
    kind: 'Kind',
    name: 'Name',
    nationalHoliday: 'National holiday',
    cutiBersama: 'Cuti bersama',
    addRow: 'Add a date',
    remove: 'Remove',
    save: 'Save',
    cancel: 'Cancel',
    editing: 'Editing',
    history: 'Change history',
    saved: 'Saved',
    noYear: 'Enter a year between 1900 and 2200.',
  },
});

/**
 * The administrator's holiday calendar: which years have data and where from, what is missing
 * (the server's own words, the same as /health/ready's), an editor per year that saves over the
 * revision it opened, an import of a year file (sent as it is, so the server's errors name its
 * lines and entries), a download of any year, and the change history.
 */
export function renderCalendar(ctx: Context): Screen {
  const message = h('p.error', { role: 'alert', hidden: true });
  const notice = h('p.notice', { 'data-testid': 'calendar-missing', role: 'status', hidden: true });
  const table = h('tbody');
  const editor = h('div', { 'data-testid': 'year-editor' });
  const history = h('ul', { 'data-testid': 'calendar-history' });
  let summaries: YearSummary[] = [];
  let disposed = false;

  const newYear = h('input', { type: 'number', name: 'newYear', min: 1900, max: 2200, 'aria-label': w('year') });
  const importInput = h('input', { type: 'file', accept: '.json,application/json', 'data-testid': 'import-file', 'aria-label': w('importFile') });
  importInput.addEventListener('change', () => void importFile());

  mount(ctx.main,
    h('section.panel', null, h('h1', null, w('title')), h('p.muted', null, w('intro')), notice, message,
      h('table.queue', { 'data-testid': 'calendar-years' },
        h('thead', null, h('tr', null, h('th', null, w('year')), h('th', null, w('origin')), h('th', null, w('source')),
          h('th', null, w('entries')), h('th', null, w('revision')), h('th', null, w('changed')), h('th'))),
        table),
      h('div.actions', null,
        newYear,
        h('button', { type: 'button', 'data-testid': 'add-year', onclick: () => void openYear(Number(newYear.value)) }, w('addYear')),
        h('label.button.secondary', null, w('importFile'), importInput)),
      editor),
    h('section.panel', null, h('h2', null, w('history')), history));

  function fail(e: unknown): void {
    const fields = e instanceof ApiError ? Object.entries(e.errors).map(([field, problems]) => `${field}: ${problems.join(' ')}`) : [];
    message.textContent = e instanceof ApiError ? [e.detail ?? e.title, ...fields].join(' · ') : `${t('error')}: ${String(e)}`;
    message.hidden = false;
  }

  function revisionOf(year: number): number {
    return summaries.find(s => s.year === year && s.origin === 'Maintained')?.revision ?? 0;
  }

  /** The editor for a year: its data when it has some (bundled or maintained), empty otherwise. */
  async function openYear(year: number): Promise<void> {
    message.hidden = true;
    if (!Number.isInteger(year) || year < 1900 || year > 2200) {
      fail(new ApiError(400, w('noYear'), null));
      return;
    }
    let view: YearView = { year, origin: 'Maintained', revision: 0, source: null, entries: [] };
    if (summaries.some(s => s.year === year)) {
      try {
        view = await calendar.year(year);
      } catch (e) {
        fail(e);
        return;
      }
    }
    mount(editor, yearForm(view));
  }

  function entryRow(entry: HolidayView | null): HTMLElement {
    return h('tr', { 'data-testid': 'holiday-row' },
      h('td', null, h('input', { type: 'date', name: 'date', required: true, value: entry?.date, 'aria-label': w('date') })),
      h('td', null, h('select', { name: 'kind', 'aria-label': w('kind') },
        h('option', { value: 'nationalHoliday', selected: entry?.kind !== 'CutiBersama' }, w('nationalHoliday')),
        h('option', { value: 'cutiBersama', selected: entry?.kind === 'CutiBersama' }, w('cutiBersama')))),
      h('td', null, h('input', { name: 'name', required: true, maxlength: 200, value: entry?.name, 'aria-label': w('name') })),
      h('td', null, h('button.secondary', { type: 'button', onclick: (e: Event) => (e.currentTarget as HTMLElement).closest('tr')?.remove() }, w('remove'))));
  }

  function yearForm(view: YearView): HTMLFormElement {
    const rows = h('tbody', null, view.entries.map(entryRow));
    const source = h('input', { name: 'source', value: view.source, 'aria-label': w('source') });
    const form = h('form.stack', {
      'data-testid': 'year-form',
      onsubmit: (e: SubmitEvent) => {
        e.preventDefault();
        const body: YearFile = {
          year: view.year,
          ...(source.value.trim() ? { source: source.value.trim() } : {}),
          entries: [...rows.querySelectorAll('tr')].map(tr => ({
            date: (tr.querySelector('[name=date]') as HTMLInputElement).value,
            kind: (tr.querySelector('[name=kind]') as HTMLSelectElement).value as 'nationalHoliday' | 'cutiBersama',
            name: (tr.querySelector('[name=name]') as HTMLInputElement).value,
          })),
        };
        void save(view.year, view.revision, body);
      },
    },
      h('h2', null, `${w('editing')}: ${view.year}`),
      h('label', null, w('source'), source),
      h('table.queue', null, h('thead', null, h('tr', null, h('th', null, w('date')), h('th', null, w('kind')), h('th', null, w('name')), h('th'))), rows),
      h('div.actions', null,
        h('button.secondary', { type: 'button', 'data-testid': 'add-row', onclick: () => rows.append(entryRow(null)) }, w('addRow')),
        h('button', { type: 'submit' }, w('save')),
        h('button.secondary', { type: 'button', onclick: () => mount(editor) }, w('cancel'))));
    return form;
  }

  async function save(year: number, revision: number, body: YearFile | JsonText, fileName?: string): Promise<void> {
    message.hidden = true;
    try {
      await calendar.save(year, revision, body, fileName);
      mount(editor, h('p.notice', { role: 'status' }, `${w('saved')}: ${year}`));
      await load();
    } catch (e) {
      fail(e);
    }
  }

  /** A year file as it is: the year from the file (or its name), the revision the list shows for it. */
  async function importFile(): Promise<void> {
    const file = importInput.files?.[0];
    importInput.value = '';
    if (!file) return;
    const text = await file.text();
    let year = Number(/(\d{4})/.exec(file.name)?.[1] ?? NaN);
    try {
      const parsed = JSON.parse(text) as { year?: unknown };
      if (typeof parsed.year === 'number') year = parsed.year;
    } catch {
      // Not JSON: sent all the same, so the server names the line that is wrong.
    }
    if (!Number.isInteger(year)) {
      fail(new ApiError(400, w('noYear'), null));
      return;
    }
    await save(year, revisionOf(year), new JsonText(text), file.name);
  }

  function row(s: YearSummary): HTMLElement {
    return h('tr', { 'data-testid': 'calendar-year', 'data-year': s.year },
      h('td', null, String(s.year)),
      h('td', { 'data-testid': 'year-origin' }, s.origin === 'Maintained' ? w('maintained') : w('bundled')),
      h('td', null, s.source ?? '–'),
      h('td', null, String(s.entries)),
      h('td', { 'data-testid': 'year-revision' }, String(s.revision)),
      h('td', null, s.changedAt ? `${formatDateTime(s.changedAt)} · ${s.changedBy ?? ''}` : '–'),
      h('td.actions', null,
        h('button.secondary', { type: 'button', 'data-testid': 'edit-year', onclick: () => void openYear(s.year) }, w('edit')),
        h('a.button.secondary', { href: `/api/calendar/years/${s.year}/file`, download: `${s.year}.json` }, w('download'))));
  }

  async function load(): Promise<void> {
    const [years, changes] = await Promise.all([calendar.years(), calendar.changes()]);
    if (disposed) return;
    summaries = years.years;
    notice.textContent = years.problem ?? '';
    notice.hidden = !years.problem;
    mount(table, years.years.map(row));
    mount(history, changes.map(c => h('li', null, `${formatDateTime(c.at)} · ${c.actor} · ${c.year}: ${c.action} (${c.details})`)));
  }

  void load().catch(fail);
  return { title: 'menuCalendar', cleanup: () => { disposed = true; } };
}
