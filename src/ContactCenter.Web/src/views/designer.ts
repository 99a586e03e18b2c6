// The process owners' designer (docs/web-designer.md): every flow with its versions and what
// awaits the signed-in user; one version in the bpmn-js modeler (drafts) or read-only (others),
// with the lifecycle buttons; and a visual comparison of two versions. The modeler and viewers
// are loaded lazily, only on the screens that show a diagram.
import '../designer/designer.css';
import { ApiError, type Me } from '../api';
import type { Context, Screen } from '../main';
import { h, mount } from '../dom';
import { formatDateTime } from '../i18n';
import { definitions, InvalidBpmnError, type DefinitionSummary, type Problem, type VersionView } from '../designer/api';
import { actionsFor, awaits, shownState, type Action } from '../designer/lifecycle';
import { samplesPanel, whatIfPanel } from '../designer/whatif';
import type { LintIssue } from '../designer/lint';
import { w, wf } from '../designer/words';

export function renderDesigner(ctx: Context, key: string | null, version: number | null): Screen {
  const query = new URLSearchParams(location.search);
  if (key !== null && version !== null) return renderVersion(ctx, key, version, query.get('edit') === '1');
  const from = Number(query.get('from'));
  const to = Number(query.get('to'));
  if (key !== null && from > 0 && to > 0) return renderDiff(ctx, key, from, to);
  return renderList(ctx, key);
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

const go = (ctx: Context, path: string) => (e: MouseEvent) => { e.preventDefault(); ctx.navigate(path); };
const versionPath = (key: string, version: number) => `/designer/${encodeURIComponent(key)}/${version}`;
const diffPath = (key: string, from: number, to: number) => `/designer/${encodeURIComponent(key)}?from=${from}&to=${to}`;

function statusBadge(v: VersionView): HTMLElement {
  const state = shownState(v);
  return h('span', { class: `badge cc-state cc-state-${state}`, 'data-testid': 'version-status', 'data-state': state }, w(`st_${state}`));
}

function downloadLink(key: string, version: number): HTMLElement {
  return h('a.cc-button-link', { href: definitions.bpmnUrl(key, version), download: `${key}-v${version}.bpmn`, 'data-testid': 'download' }, w('download'));
}

/** A message area at the top of a screen: errors stay until replaced; successes too, so nothing is missed. */
function messageArea(): { el: HTMLElement; error: (e: unknown) => void; ok: (text: string) => void; clear: () => void } {
  const el = h('div.cc-message', { 'data-testid': 'designer-message', role: 'status', hidden: true });
  const show = (text: string, kind: 'error' | 'ok') => {
    el.hidden = false;
    el.className = `cc-message cc-message-${kind}`;
    el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    el.dataset.kind = kind;
    el.textContent = text;
  };
  return {
    el,
    error: e => show(describe(e), 'error'),
    ok: text => show(text, 'ok'),
    clear: () => { el.hidden = true; el.textContent = ''; },
  };
}

function describe(e: unknown): string {
  if (e instanceof InvalidBpmnError) return wf('serverRefused', { n: e.problems.length });
  if (e instanceof ApiError) {
    const detail = e.detail ?? e.title;
    if (e.status === 403) return wf('forbidden', { detail });
    if (e.status === 409) return wf('wrongState', { detail });
    const fields = Object.entries(e.errors).map(([k, v]) => `${k}: ${v.join(', ')}`).join('; ');
    return `${e.status} ${e.title}${e.detail ? `: ${e.detail}` : ''}${fields ? ` (${fields})` : ''}`;
  }
  return String(e);
}

function people(v: VersionView): string {
  return [v.maker, v.checker ?? '–', v.approver ?? '–'].join(' · ');
}

function localInputValue(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}T${two(date.getHours())}:${two(date.getMinutes())}`;
}

const actionWord: Record<Action, Parameters<typeof w>[0]> = {
  submit: 'submit', check: 'check', return: 'returnToDraft', approve: 'approve', publish: 'publish', retire: 'retire',
};

/**
 * The lifecycle buttons the user may press on a version. Publishing asks for the effective date,
 * returning to draft for a note; every answer of the server (403 four-eyes, 409 state) is shown.
 */
function lifecycleActions(me: Me, v: VersionView, messages: ReturnType<typeof messageArea>, after: (v: VersionView) => void, isDirty: () => boolean = () => false): HTMLElement | null {
  const actions = actionsFor(v, me);
  if (actions.length === 0) return null;
  const box = h('div.cc-actions', { 'data-testid': 'lifecycle' });
  const run = async (action: Action, call: () => Promise<VersionView>, button: HTMLButtonElement) => {
    button.disabled = true;
    try {
      const updated = await call();
      messages.ok(wf('done', { what: w(actionWord[action]) }));
      after(updated);
    } catch (e) {
      messages.error(e);
      button.disabled = false;
    }
  };
  for (const { action, blocked } of actions) {
    const reason = blocked ? w(blocked) : null;
    switch (action) {
      case 'publish': {
        const input = h('input', { type: 'datetime-local', name: 'effectiveFrom', required: true, value: localInputValue(new Date()), 'data-testid': 'effective-from' });
        const button = h('button', { type: 'submit', 'data-action': 'publish' }, w('publish'));
        box.append(h('form.cc-inline-form', {
          onsubmit: (e: SubmitEvent) => {
            e.preventDefault();
            const at = new Date(input.value);
            if (Number.isNaN(at.getTime())) { input.reportValidity(); return; }
            void run('publish', () => definitions.publish(v.key, v.version, at.toISOString()), button);
          },
        }, h('label', null, w('publishAt'), input), button));
        break;
      }
      case 'return': {
        const note = h('textarea', { name: 'note', rows: 2, required: true, 'data-testid': 'return-note', disabled: !!reason });
        const button = h('button.secondary', { type: 'submit', 'data-action': 'return', disabled: !!reason, title: reason ?? undefined }, w('returnToDraft'));
        box.append(h('form.cc-inline-form', {
          onsubmit: (e: SubmitEvent) => {
            e.preventDefault();
            if (!note.value.trim()) { note.reportValidity(); return; }
            void run('return', () => definitions.returnToDraft(v.key, v.version, note.value.trim()), button);
          },
        }, h('label', null, w('returnNote'), note), button));
        break;
      }
      default: {
        const button = h('button', { type: 'button', 'data-action': action, disabled: !!reason, title: reason ?? undefined }, w(actionWord[action]));
        button.addEventListener('click', () => {
          if (action === 'submit' && isDirty()) { messages.error(w('unsaved')); return; }
          if (action === 'retire' && !window.confirm(w('confirmRetire'))) return;
          const call = {
            submit: () => definitions.submit(v.key, v.version),
            check: () => definitions.check(v.key, v.version),
            approve: () => definitions.approve(v.key, v.version),
            retire: () => definitions.retire(v.key, v.version),
          }[action as 'submit' | 'check' | 'approve' | 'retire'];
          void run(action, call, button);
        });
        box.append(h('div.cc-action', null, button, reason ? h('p.hint', null, reason) : null));
      }
    }
  }
  return h('section.panel.cc-lifecycle', null, h('h2', null, w('actions')), box);
}

// ---------------------------------------------------------------------------------------------
// /designer and /designer/{key}: every definition with its versions

function renderList(ctx: Context, onlyKey: string | null): Screen {
  let disposed = false;
  const messages = messageArea();
  const body = h('div', null, h('p.muted', null, '…'));
  mount(ctx.main, h('div.cc-designer', null,
    h('div.detail-head', null,
      onlyKey ? h('a.back', { href: '/designer', onclick: go(ctx, '/designer') }, w('backToList')) : null,
      h('h1', null, w('title'))),
    h('p.muted.cc-intro', null, w('intro')),
    messages.el,
    body));

  async function load(): Promise<void> {
    const all = onlyKey ? [await definitions.key(onlyKey)] : await definitions.list();
    if (disposed) return;
    mount(body, awaiting(all), all.length === 0 ? h('section.panel.empty', null, w('noDefinitions')) : all.map(d => definitionPanel(d)));
  }

  function awaiting(all: DefinitionSummary[]): HTMLElement {
    const rows = all.flatMap(d => d.versions.map(v => ({ v, what: awaits(v, ctx.me) }))).filter(x => x.what !== null);
    return h('section.panel.cc-awaiting', { 'data-testid': 'awaiting' },
      h('h2', null, w('awaitingYou')),
      rows.length === 0 ? h('p.muted', null, w('nothingAwaits')) : h('ul.cc-await-list', null, rows.map(({ v, what }) =>
        h('li', { 'data-testid': 'awaiting-item', 'data-key': v.key, 'data-version': v.version },
          h('span', { class: `badge cc-next cc-next-${what}` }, w(`next_${what!}`)),
          h('a', { href: versionPath(v.key, v.version), onclick: go(ctx, versionPath(v.key, v.version)) }, `${v.name} · v${v.version}`),
          h('span.muted', null, ` ${v.maker}${v.changeNote ? ` — ${v.changeNote.split('\n')[0]}` : ''}`)))));
  }

  function definitionPanel(d: DefinitionSummary): HTMLElement {
    const inEffect = d.versions.find(v => v.version === d.versionInEffect) ?? null;
    return h('section.panel.cc-definition', { 'data-testid': 'definition', 'data-key': d.key },
      h('div.detail-head', null,
        h('h2', null, h('a', { href: `/designer/${d.key}`, onclick: go(ctx, `/designer/${d.key}`) }, d.name)),
        h('code.muted', null, d.key),
        h('span.cc-in-effect', { 'data-testid': 'in-effect' }, inEffect
          ? `${w('inEffect')}: v${inEffect.version} (${w('effectiveFrom').toLowerCase()} ${formatDateTime(inEffect.effectiveFrom)})`
          : w('noneInEffect'))),
      h('table.queue.cc-versions', null,
        h('thead', null, h('tr', null, [w('version'), w('status'), w('effectiveFrom'), w('people'), w('changeNote'), ''].map(c => h('th', null, c)))),
        h('tbody', null, d.versions.map(v => versionRow(d, v, inEffect)))),
      onlyKey ? comparePicker(ctx, d, inEffect?.version ?? d.versions[d.versions.length - 1]?.version, d.versions[0]?.version) : null);
  }

  function versionRow(d: DefinitionSummary, v: VersionView, inEffect: VersionView | null): HTMLElement {
    const open = versionPath(d.key, v.version);
    const compare = inEffect && inEffect.version !== v.version
      ? h('a', { href: diffPath(d.key, inEffect.version, v.version), onclick: go(ctx, diffPath(d.key, inEffect.version, v.version)), 'data-testid': 'compare-in-effect' }, w('compareWithEffect'))
      : null;
    return h('tr', { 'data-testid': 'version-row', 'data-version': v.version, class: v.inEffect ? 'cc-row-in-effect' : undefined },
      h('td', null, h('a', { href: open, onclick: go(ctx, open) }, `v${v.version}`), v.inEffect ? h('span.badge.cc-effect-badge', null, w('inEffect')) : null),
      h('td', null, statusBadge(v)),
      h('td', { 'data-testid': 'effective', 'data-iso': v.effectiveFrom ?? '' }, v.effectiveFrom ? formatDateTime(v.effectiveFrom) : '–'),
      h('td', null, people(v)),
      h('td.cc-note', null, v.changeNote ?? ''),
      h('td.cc-row-actions', null, h('div.cc-row-links', null, h('a', { href: open, onclick: go(ctx, open) }, w('open')), downloadLink(d.key, v.version), compare)));
  }

  void load().catch(e => messages.error(e));
  return { title: 'menuDesigner', cleanup: () => { disposed = true; } };
}

function comparePicker(ctx: Context, d: DefinitionSummary, from: number | undefined, to: number | undefined): HTMLElement {
  const select = (name: string, selected: number | undefined) => h('select', { name, 'data-testid': `diff-${name}` },
    d.versions.map(v => h('option', { value: v.version, selected: v.version === selected }, `v${v.version} · ${w(`st_${shownState(v)}`)}`)));
  const fromSelect = select('from', from);
  const toSelect = select('to', to);
  return h('form.cc-compare', {
    onsubmit: (e: SubmitEvent) => { e.preventDefault(); ctx.navigate(diffPath(d.key, Number(fromSelect.value), Number(toSelect.value))); },
  }, h('label', null, w('from'), fromSelect), h('label', null, w('to'), toSelect), h('button', { type: 'submit' }, w('compare')));
}

// ---------------------------------------------------------------------------------------------
// /designer/{key}/{version}: one version, editable when it is a draft

function renderVersion(ctx: Context, key: string, version: number, editCopy: boolean): Screen {
  let disposed = false;
  let teardown: (() => void) | null = null;
  const messages = messageArea();
  const body = h('div', null, h('p.muted', null, '…'));
  mount(ctx.main, h('div.cc-designer', null, messages.el, body));

  async function load(): Promise<void> {
    const [summary, xml, all] = await Promise.all([definitions.key(key), definitions.bpmn(key, version), definitions.list().catch(() => null)]);
    if (disposed) return;
    const v = summary.versions.find(x => x.version === version);
    if (!v) throw new ApiError(404, 'Not found', `${key} v${version}`);
    const published = all ? all.filter(d => d.versions.some(x => x.status === 'Published' || x.status === 'Retired')).map(d => d.key) : null;
    const owner = ctx.me.roles.includes('ProcessOwner');
    const editable = owner && (v.status === 'Draft' || editCopy);
    teardown?.();
    teardown = editable
      ? await showEditor(ctx, body, summary, v, xml, published, editCopy && v.status !== 'Draft', messages, () => void load().catch(e => messages.error(e)))
      : await showReadOnly(ctx, body, summary, v, xml, messages, () => void load().catch(e => messages.error(e)));
  }

  void load().catch(e => messages.error(e));
  return { title: 'menuDesigner', cleanup: () => { disposed = true; teardown?.(); } };
}

function versionHeader(ctx: Context, summary: DefinitionSummary, v: VersionView): HTMLElement {
  const inEffect = summary.versionInEffect;
  return h('div.detail-head.cc-version-head', null,
    h('a.back', { href: `/designer/${summary.key}`, onclick: go(ctx, `/designer/${summary.key}`) }, w('backToList')),
    h('h1', null, `${v.name} · v${v.version}`),
    statusBadge(v),
    v.inEffect ? h('span.badge.cc-effect-badge', null, w('inEffect')) : null,
    h('span.muted', null, `${w('maker')}: ${v.maker}${v.checker ? ` · ${w('checker')}: ${v.checker}` : ''}${v.approver ? ` · ${w('approver')}: ${v.approver}` : ''}`),
    v.effectiveFrom ? h('span.muted', null, `${w('effectiveFrom')}: ${formatDateTime(v.effectiveFrom)}`) : null,
    h('div.spacer'),
    inEffect !== null && inEffect !== v.version
      ? h('a.cc-button-link', { href: diffPath(summary.key, inEffect, v.version), onclick: go(ctx, diffPath(summary.key, inEffect, v.version)), 'data-testid': 'compare-in-effect' }, w('compareWithEffect'))
      : null,
    downloadLink(summary.key, v.version));
}

async function showReadOnly(ctx: Context, body: HTMLElement, summary: DefinitionSummary, v: VersionView, xml: string, messages: ReturnType<typeof messageArea>, reload: () => void): Promise<() => void> {
  const { ReadOnlyDiagram, describeElement } = await import('../designer/viewer');
  const owner = ctx.me.roles.includes('ProcessOwner');
  const details = h('div.cc-details', { 'data-testid': 'element-details' }, h('p.muted', null, w('selectElement')));
  const canvas = h('div.cc-canvas', { 'data-testid': 'viewer' });
  mount(body,
    versionHeader(ctx, summary, v),
    v.changeNote ? h('p.cc-change-note', null, v.changeNote) : null,
    h('div.cc-readonly-note', { 'data-testid': 'read-only' },
      h('span', null, owner ? w('readOnly') : w('readOnlyRole')),
      owner ? h('button.secondary', { type: 'button', 'data-testid': 'new-draft', onclick: () => ctx.navigate(`${versionPath(summary.key, v.version)}?edit=1`) }, w('newDraftFrom')) : null),
    lifecycleActions(ctx.me, v, messages, () => reload()),
    h('div.cc-workbench', null, canvas, h('aside.cc-side', null, h('h2', null, w('details')), details)),
    v.status === 'Published' || v.status === 'Retired' ? null : samplesPanel(summary.key, v.version, ids => diagram.showPath(ids)),
    v.status === 'Published' || v.status === 'Retired' ? null : whatIfPanel(ctx, summary.key, v.version));
  const diagram = new ReadOnlyDiagram(canvas, bo => {
    mount(details, bo
      ? h('dl.facts', null, describeElement(bo).map(([k, value]) => [h('dt', null, k), h('dd.cc-value', null, value)]))
      : h('p.muted', null, w('selectElement')));
  });
  await diagram.open(xml);
  canvas.dataset.ready = 'true';
  return () => diagram.destroy();
}

async function showEditor(
  ctx: Context, body: HTMLElement, summary: DefinitionSummary, v: VersionView, xml: string, published: string[] | null,
  isCopy: boolean, messages: ReturnType<typeof messageArea>, reload: () => void,
): Promise<() => void> {
  const { DesignEditor } = await import('../designer/editor');
  let dirty = isCopy;
  let lintIssues: LintIssue[] = [];
  const canvas = h('div.cc-canvas', { 'data-testid': 'modeler' });
  const panel = h('div.cc-properties', { 'data-testid': 'properties' });
  const lintList = h('ul.cc-issues', { 'data-testid': 'lint-issues' });
  const lintHead = h('h3', null, w('lintTitle'));
  const serverList = h('ul.cc-issues', { 'data-testid': 'server-problems' }, h('li.muted', null, w('serverNotAsked')));
  const dirtyNote = h('span.cc-dirty', { 'data-testid': 'dirty', hidden: !dirty }, isCopy ? wf('editingCopy', { v: v.version }) : w('unsaved'));
  const changeNote = h('input', { name: 'changeNote', placeholder: w('changeNotePlaceholder'), 'data-testid': 'change-note', maxlength: 500 });
  const saveButton = h('button', { type: 'submit', 'data-testid': 'save' }, w('save'));
  const validateButton = h('button.secondary', { type: 'button', 'data-testid': 'validate' }, w('validateServer'));
  const undoButton = h('button.secondary', { type: 'button', disabled: true }, w('undo'));
  const redoButton = h('button.secondary', { type: 'button', disabled: true }, w('redo'));
  const fitButton = h('button.secondary', { type: 'button' }, w('fit'));
  const fileInput = h('input', { type: 'file', accept: '.bpmn,.xml,application/xml,text/xml', 'data-testid': 'import-file', class: 'cc-file' });
  const fileLabel = h('label.cc-file-label', null, w('importFile'), fileInput);

  const focusButton = (id: string | null, text: string) => id
    ? h('button.link', { type: 'button', onclick: () => editor.focus(id) }, text)
    : h('span.muted', null, w('document'));

  const renderLint = () => {
    lintHead.textContent = `${w('lintTitle')}: ${lintIssues.length}`;
    lintList.dataset.count = String(lintIssues.length);
    mount(lintList, lintIssues.length === 0
      ? h('li.cc-ok', null, w('lintNone'))
      : lintIssues.map(issue => h('li.cc-issue', { 'data-element': issue.elementId ?? '', 'data-rule': issue.rule },
        focusButton(issue.elementId, issue.elementId ?? ''), h('code.cc-rule', null, issue.rule), h('span', null, issue.message))));
  };

  const renderServer = (problems: Problem[] | null) => {
    serverList.dataset.count = problems === null ? '' : String(problems.length);
    mount(serverList, problems === null
      ? h('li.muted', null, w('serverNotAsked'))
      : problems.length === 0
        ? h('li.cc-ok', null, w('serverNone'))
        : problems.map(p => h('li.cc-issue.cc-server', { 'data-element': p.elementId ?? '', 'data-line': p.line },
          focusButton(p.elementId, p.elementId ?? ''), h('span.cc-line', null, `${w('line')} ${p.line}`), h('span', null, p.message))));
  };

  const setDirty = (value: boolean) => {
    dirty = value;
    dirtyNote.hidden = !dirty;
  };

  const editor = new DesignEditor(canvas, panel, {
    published: () => published,
    onLint: (issues, document) => { lintIssues = issues; lintList.dataset.document = String(document); renderLint(); },
    onChange: () => {
      setDirty(true);
      undoButton.disabled = !editor.canUndo();
      redoButton.disabled = !editor.canRedo();
      // The server's verdict was about the document before this change.
      editor.clearProblems();
      renderServer(null);
    },
  });
  undoButton.addEventListener('click', () => editor.undo());
  redoButton.addEventListener('click', () => editor.redo());
  fitButton.addEventListener('click', () => editor.fit());

  const askServer = async () => {
    validateButton.disabled = true;
    try {
      const verdict = await definitions.validate(await editor.xml());
      renderServer(verdict.problems);
      editor.markProblems(verdict.problems);
    } catch (e) {
      messages.error(e);
    } finally {
      validateButton.disabled = false;
    }
  };
  validateButton.addEventListener('click', () => void askServer());

  fileInput.addEventListener('change', async () => {
    const file = fileInput.files?.[0];
    if (!file) return;
    try {
      const text = await file.text();
      await editor.open(text);
      setDirty(true);
      renderServer(null);
      messages.clear();
    } catch (e) {
      messages.error(wf('importFailed', { detail: e instanceof Error ? e.message : String(e) }));
    } finally {
      fileInput.value = '';
    }
  });

  const form = h('form.cc-toolbar', {
    onsubmit: async (e: SubmitEvent) => {
      e.preventDefault();
      saveButton.disabled = true;
      saveButton.textContent = w('saving');
      try {
        const created = await definitions.createDraft(await editor.xml(), changeNote.value.trim());
        setDirty(false);
        messages.ok(wf('saved', { v: created.version }));
        ctx.navigate(versionPath(created.key, created.version));
      } catch (err) {
        if (err instanceof InvalidBpmnError) {
          renderServer(err.problems);
          editor.markProblems(err.problems);
        }
        messages.error(err);
      } finally {
        saveButton.disabled = false;
        saveButton.textContent = w('save');
      }
    },
  }, changeNote, saveButton, validateButton, undoButton, redoButton, fitButton, fileLabel, dirtyNote);

  const beforeUnload = (e: BeforeUnloadEvent) => { if (dirty) { e.preventDefault(); } };
  window.addEventListener('beforeunload', beforeUnload);

  mount(body,
    versionHeader(ctx, summary, v),
    v.changeNote ? h('p.cc-change-note', { 'data-testid': 'change-note-shown' }, v.changeNote) : null,
    isCopy ? null : lifecycleActions(ctx.me, v, messages, () => reload(), () => dirty),
    form,
    h('div.cc-workbench', null, canvas, h('aside.cc-side.cc-panel-host', null, panel)),
    h('div.cc-verdicts', null,
      h('section.panel', null, lintHead, lintList),
      h('section.panel', null, h('h3', null, w('serverTitle')), serverList)),
    // A saved draft: samples and what-if run on the stored version, not on unsaved edits.
    isCopy ? null : samplesPanel(summary.key, v.version, ids => editor.showPath(ids)),
    isCopy ? null : whatIfPanel(ctx, summary.key, v.version));

  const warnings = await editor.open(xml);
  if (warnings.length) messages.error(warnings.join('; '));
  canvas.dataset.ready = 'true';
  return () => {
    window.removeEventListener('beforeunload', beforeUnload);
    editor.destroy();
  };
}

// ---------------------------------------------------------------------------------------------
// /designer/{key}?from=&to=: two versions side by side

function renderDiff(ctx: Context, key: string, from: number, to: number): Screen {
  let disposed = false;
  let teardown: (() => void) | null = null;
  const messages = messageArea();
  const body = h('div', null, h('p.muted', null, '…'));
  mount(ctx.main, h('div.cc-designer', null, messages.el, body));

  async function load(): Promise<void> {
    const [summary, left, right, changes, viewer] = await Promise.all([
      definitions.key(key), definitions.bpmn(key, from), definitions.bpmn(key, to), definitions.diff(key, from, to), import('../designer/viewer'),
    ]);
    if (disposed) return;
    const leftCanvas = h('div.cc-canvas.cc-diff-canvas', { 'data-testid': 'diff-left' });
    const rightCanvas = h('div.cc-canvas.cc-diff-canvas', { 'data-testid': 'diff-right' });
    const version = (n: number) => summary.versions.find(v => v.version === n);
    const side = (n: number, canvas: HTMLElement) => h('div.cc-diff-side', null,
      h('h3', null, `v${n}`, version(n) ? [' ', statusBadge(version(n)!)] : null), canvas);
    const counts = h('p.muted', { 'data-testid': 'differ-counts' });
    const rows = h('tbody');
    mount(body,
      h('div.detail-head', null,
        h('a.back', { href: `/designer/${key}`, onclick: go(ctx, `/designer/${key}`) }, w('backToList')),
        h('h1', null, `${w('diffTitle')}: ${summary.name}`),
        h('div.spacer'),
        comparePicker(ctx, summary, from, to)),
      h('div.cc-legend', { 'data-testid': 'legend' },
        h('span.cc-key.cc-key-added', null, w('legendAdded')), h('span.cc-key.cc-key-removed', null, w('legendRemoved')),
        h('span.cc-key.cc-key-changed', null, w('legendChanged')), h('span.cc-key.cc-key-layout', null, w('legendLayout'))),
      h('div.cc-diff', null, side(from, leftCanvas), side(to, rightCanvas)),
      counts,
      h('section.panel', null, h('h2', null, w('changes')),
        changes.layoutChanged ? h('p.muted', null, w('layoutChanged')) : null,
        h('table.queue.cc-changes', { 'data-testid': 'diff-changes' },
          h('thead', null, h('tr', null, [w('element'), w('kind'), w('status'), w('attribute'), w('before'), w('after')].map(c => h('th', null, c)))),
          rows)));

    const a = new viewer.ReadOnlyDiagram(leftCanvas);
    const b = new viewer.ReadOnlyDiagram(rightCanvas);
    teardown = () => { a.destroy(); b.destroy(); };
    await Promise.all([a.open(left), b.open(right)]);
    if (disposed) return;
    const coloured = viewer.colourDiff(a, b);
    viewer.syncViewports(a, b);
    // Open on the first difference, readable, rather than on the whole flow shrunk to the pane.
    const first = [...coloured.changed, ...coloured.added, ...coloured.removed, ...coloured.layout][0];
    if (first) (b.has(first) ? b : a).showAt(first);
    counts.textContent = wf('differCount', { a: coloured.added.length, r: coloured.removed.length, c: coloured.changed.length });
    leftCanvas.dataset.ready = 'true';
    rightCanvas.dataset.ready = 'true';

    const focus = (id: string) => { a.focus(id); b.focus(id); };
    const line = (id: string, kind: string, name: string | null, change: 'added' | 'removed' | 'changed', attribute: string, before: string | null, after: string | null, first: boolean) =>
      h('tr', { 'data-testid': 'diff-row', 'data-element': id, 'data-change': change, class: `cc-change-${change}` },
        h('td', null, first ? h('button.link', { type: 'button', onclick: () => focus(id) }, name ? `${name} (${id})` : id) : ''),
        h('td', null, first ? kind : ''),
        h('td', null, first ? h('span', { class: `badge cc-key-${change}` }, w(change)) : ''),
        h('td', null, h('code', null, attribute)),
        h('td.cc-value', null, before ?? '–'),
        h('td.cc-value', null, after ?? '–'));
    const list: HTMLElement[] = [];
    for (const section of [changes.elements, changes.flows]) {
      for (const e of section.added) list.push(line(e.id, e.kind, e.name, 'added', '', null, null, true));
      for (const e of section.removed) list.push(line(e.id, e.kind, e.name, 'removed', '', null, null, true));
      for (const e of section.changed) e.changes.forEach((c, i) => list.push(line(e.id, e.kind, e.name, 'changed', c.name, c.from, c.to, i === 0)));
    }
    mount(rows, list.length ? list : h('tr', null, h('td.empty', { colspan: 6 }, w('noChanges'))));
  }

  void load().catch(e => messages.error(e));
  return { title: 'menuDesigner', cleanup: () => { disposed = true; teardown?.(); } };
}
