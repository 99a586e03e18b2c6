import { api, ApiError, type InstanceSummary, type ConversationLine, type InstanceView, type TaskView } from '../api';
import type { Context, Screen } from '../main';
import { formValues, h, mount } from '../dom';
import { formatDateTime, formatDuration, formatTime, t } from '../i18n';
import { onLive } from '../live';
import type { FlowDiagram } from '../diagram';

const channels = ['whatsapp', 'live-chat', 'social-media', 'email', 'inbound-call', 'outlet-reservation'];
/** Channels whose customer writes through the Omni Channel webhook, so the loopback simulator can speak for them. */
const messagingChannels = new Set(['whatsapp', 'live-chat', 'social-media', 'email']);
const statuses = ['Running', 'Completed', 'Cancelled', 'Faulted'];
/** The complaint decision, found by what the server says it needs (the ticket's fields on an outcome), not by its element id. */
const complaintOutcome = (task: TaskView, outcome: string): boolean => (task.outcomeFields?.[outcome]?.length ?? 0) > 0;
const isComplaintDecision = (task: TaskView): boolean => Object.keys(task.outcomeFields ?? {}).length > 0;
/** The "masih terhubung?" questions the agent asks (SOP §8.2 3a/3b, §8.4 2a/2b, §8.5 2a/2b/2c): found by their declared role. */
const ladderQuestions = new Set(['still-connected-prompt-1', 'still-connected-prompt-2', 'still-connected-prompt-ended']);
const isLadderQuestion = (task: TaskView): boolean => (task.purposes ?? []).some(p => ladderQuestions.has(p));
const soundKey = 'cc.sound';

/** A short beep when a question falls due, if the agent turned the sound on (browsers allow it after a click on the page). */
function beep(): void {
  if (localStorage.getItem(soundKey) !== 'on') return;
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    tone.frequency.value = 880;
    tone.connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.25);
    tone.onended = () => void audio.close();
  } catch {
    // No audio device or no permission: the highlight is still there.
  }
}

const categories = ['Transaksi', 'Layanan', 'Produk', 'Aplikasi', 'Lainnya'];
const priorities = ['Rendah', 'Sedang', 'Tinggi'];


export function renderConsole(ctx: Context, selectedId: string | null): Screen {
  const filter = { status: sessionStorage.getItem('cc.filter.status') ?? '', channel: sessionStorage.getItem('cc.filter.channel') ?? '' };
  const list = h('ul.conversations', { 'data-testid': 'conversations' });
  const detail = h('section.detail');
  // One diagram element for the screen's life: moved into each re-render, so the viewer (and its zoom) survives updates.
  const diagramBox = h('div.diagram', { 'data-testid': 'diagram' });
  let disposed = false;
  // One ticking countdown at a time: each re-render replaces the previous one's interval.
  let countdownTick = 0;
  let diagram: FlowDiagram | null = null;
  let view: InstanceView | null = null;
  // The last sequence of the journal on screen: with view.version, what an answer must not be older than.
  let shownJournal = 0;
  // Several reads of the list can be in flight (a filter change, live events); only the last one asked shows.
  let listRequest = 0;
  let refreshQueued = 0;
  // Open steps and the simulator keep their elements across live re-renders, so what the agent is
  // typing (a complaint, a field, a customer message) survives an update of the conversation.
  const taskForms = new Map<number, HTMLFormElement>();
  let simulatorForm: HTMLElement | null = null;

  const select = (name: 'status' | 'channel', options: string[], all: string, label: (v: string) => string) =>
    h('select', {
      name, 'aria-label': t(name === 'status' ? 'allStatuses' : 'allChannels'),
      onchange: (e: Event) => {
        filter[name] = (e.target as HTMLSelectElement).value;
        sessionStorage.setItem(`cc.filter.${name}`, filter[name]);
        void loadList();
      },
    }, h('option', { value: '' }, all), options.map(o => h('option', { value: o, selected: filter[name] === o }, label(o))));

  const startForm = h('form.start', {
    'data-testid': 'start-form',
    onsubmit: async (e: SubmitEvent) => {
      e.preventDefault();
      const { channel, customerRef } = formValues(startForm);
      await guard(async () => {
        const started = await api.start(channel, customerRef.trim());
        startForm.reset();
        ctx.navigate(`/console/${started.id}`);
      });
    },
  },
  h('h2', null, t('startContact')),
  h('label', null, t('channel'), h('select', { name: 'channel' }, channels.map(c => h('option', { value: c }, t(`ch_${c}`))))),
  h('label', null, t('customer'), h('input', { name: 'customerRef', required: true, maxlength: 200, placeholder: t('customerHint') })),
  h('button', { type: 'submit' }, t('start')));

  mount(ctx.main,
    h('div.console', null,
      h('aside.sidebar', null,
        startForm,
        h('section.panel', null,
          h('h2', null, t('myConversations')),
          h('div.filters', null,
            select('status', statuses, t('allStatuses'), s => t(`status_${s}`)),
            select('channel', channels, t('allChannels'), c => t(`ch_${c}`))),
          list)),
      detail));

  async function loadList(): Promise<void> {
    const request = ++listRequest;
    const items = await api.instances({ ...filter, agent: ctx.me.roles.includes('Agent') ? ctx.me.userName : undefined });
    if (disposed || request !== listRequest) return;
    const rows = items.filter(i => i.channel !== 'ticket' && !i.parentInstanceId);
    mount(list, rows.length === 0 ? h('li.empty', null, t('noConversations')) : rows.map(row));
  }

  function row(item: InstanceSummary): HTMLElement {
    return h('li', { class: item.id === selectedId ? 'selected' : undefined },
      h('a', {
        href: `/console/${item.id}`, 'data-testid': 'conversation-link',
        onclick: (e: MouseEvent) => { e.preventDefault(); ctx.navigate(`/console/${item.id}`); },
      },
      h('span.channel', { class: `ch-${item.channel}` }, t(`ch_${item.channel}`)),
      h('span.customer', null, item.customerRef ?? '–'),
      h('span', { class: `badge status-${item.status}` }, t(`status_${item.status}`)),
      h('time', null, formatDateTime(item.startedAt))));
  }

  async function loadDetail(): Promise<void> {
    if (!selectedId) {
      mount(detail, h('div.panel.empty', null, h('p', null, t('chooseConversation'))));
      return;
    }
    const [instance, said] = await Promise.all([api.instance(selectedId), api.conversation(selectedId)]);
    if (disposed) return;
    // Reads run concurrently (a completion, live events, the minute refresh) and the network may
    // answer them in any order: an older answer landing last would put a completed step back on
    // screen. Only an answer at least as new as what is shown is drawn.
    const journalEnd = said.lastSequence;
    if (view && (instance.version < view.version || journalEnd < shownJournal)) return;
    view = instance;
    shownJournal = journalEnd;
    renderDetail(instance, said.lines);
  }

  function renderDetail(instance: InstanceView, lines: ConversationLine[]): void {
    const running = instance.status === 'Running';
    const log = h('ol.messages', { 'data-testid': 'conversation' },
      lines.length === 0 ? h('li.empty', null, t('noMessages')) : lines.map(line =>
        h('li', { class: `msg ${line.kind}` },
          h('span.who', null, line.kind === 'customer' ? t('customerSaid') : line.kind === 'agent' ? t('agentSaid') : t('promptSent'),
            line.step ? ` · ${t('step')} ${line.step}` : ''),
          h('span.text', null, line.text),
          h('time', null, formatTime(line.at)))));

    const tasksOrWaiting = running
      ? (instance.tasks.length > 0 ? instance.tasks.map(task => keptTaskCard(instance, task)) : h('p.waiting', null, t('noOpenTask')))
      : h('p.ended', { 'data-testid': 'ended' }, `${t('conversationEnded')}: ${t(`status_${instance.status}`)}${instance.endReason ? ` (${instance.endReason})` : ''}`);

    // The kept forms are moved into the new tree, and moving an element takes the focus away from
    // it: keystrokes typed during a live update would go nowhere. The focus and the caret go back
    // in the same task, before any further input is handled.
    const focused = document.activeElement instanceof HTMLElement && detail.contains(document.activeElement) ? document.activeElement : null;
    const caret = focused instanceof HTMLInputElement || focused instanceof HTMLTextAreaElement ? [focused.selectionStart, focused.selectionEnd] as const : null;
    mount(detail,
      h('div.detail-head', null,
        h('h1', null, h('span.channel', { class: `ch-${instance.channel}` }, t(`ch_${instance.channel}`)), ' ', instance.customerRef ?? ''),
        h('span', { class: `badge status-${instance.status}`, 'data-testid': 'status' }, t(`status_${instance.status}`)),
        h('span.muted', null, `${instance.definitionKey} ${t('version')} ${instance.definitionVersion} · ${t('startedAt')} ${formatDateTime(instance.startedAt)}`)),
      h('div.detail-grid', null,
        h('div.col', null,
          h('section.panel.current', { 'data-testid': 'current-step' }, h('h2', null, t('currentStep'), soundToggle()), countdown(instance), tasksOrWaiting),
          h('section.panel', null, h('h2', null, t('conversation')), log,
            running && messagingChannels.has(instance.channel) ? (simulatorForm ??= simulatorBox(instance)) : null)),
        h('div.col', null,
          h('section.panel', null, h('h2', null, t('diagram'), h('small.muted', null, ` · ${t('diagramCurrent')}`)), diagramBox))));
    if (focused && focused !== document.activeElement && detail.contains(focused)) {
      focused.focus({ preventScroll: true });
      if (caret && caret[0] !== null && caret[1] !== null) (focused as HTMLInputElement | HTMLTextAreaElement).setSelectionRange(caret[0], caret[1]);
    }
    log.scrollTop = log.scrollHeight;
    void showDiagram(instance);
  }

  function countdown(instance: InstanceView): HTMLElement | null {
    window.clearInterval(countdownTick);
    const timer = instance.timers.find(x => x.slaPolicy === null && x.definitionKey === 'still-connected')
      ?? instance.timers.find(x => x.slaPolicy === null);
    if (!timer || instance.status !== 'Running') return null;
    // Counted from the server's "due in", not from dueAt and this machine's clock, which may differ.
    const due = Date.now() + timer.dueInMs;
    const value = h('strong', { 'data-testid': 'countdown-value' });
    // While a question is open the running timer is the one that moves the ladder on without it.
    const asking = instance.tasks.some(isLadderQuestion);
    const box = h('p.countdown', { 'data-testid': 'countdown', title: timer.name ?? timer.elementId }, h('span', null, t(asking ? 'askWithin' : 'nextPrompt'), ' '), value);
    const tick = () => {
      const left = due - Date.now();
      value.textContent = left > 0 ? formatDuration(left) : '0:00';
      box.classList.toggle('urgent', left < 15_000);
      if (left <= 0) box.title = t('timerDue');
    };
    tick();
    countdownTick = window.setInterval(tick, 1000);
    return box;
  }

  function soundToggle(): HTMLElement {
    return h('label.sound', null,
      h('input', {
        type: 'checkbox', 'data-testid': 'sound', checked: localStorage.getItem(soundKey) === 'on',
        onchange: (e: Event) => localStorage.setItem(soundKey, (e.target as HTMLInputElement).checked ? 'on' : 'off'),
      }),
      t('sound'));
  }

  function keptTaskCard(instance: InstanceView, task: TaskView): HTMLFormElement {
    const open = new Set(instance.tasks.map(x => x.id));
    for (const id of [...taskForms.keys()]) if (!open.has(id)) taskForms.delete(id);
    let form = taskForms.get(task.id);
    if (!form) {
      form = taskCard(instance, task);
      taskForms.set(task.id, form);
    } else if (task.script) {
      // The server renders the script for the current minute: a closing greeting opened at 17:59
      // reads "Selamat beristirahat" from 18:00. Only the text changes; inputs keep what was typed.
      const text = form.querySelector('[data-testid=script], p.question');
      if (text && text.textContent !== task.script) text.textContent = task.script;
    }
    return form;
  }

  function taskCard(instance: InstanceView, task: TaskView): HTMLFormElement {
    const fieldInputs = task.fields.map(f => h('label', null, f, h('input', { name: f, required: true, 'data-field': f })));
    const form = h('form.task', { 'data-testid': 'task', 'data-element': task.elementId, onsubmit: (e: SubmitEvent) => e.preventDefault() }) as HTMLFormElement;
    const complete = async (outcome: string | null, extra: Record<string, string> | null = null) => {
      if (!form.reportValidity()) return;
      const data = { ...formValues(form), ...(extra ?? {}) };
      await guard(async () => {
        // The version of the latest view: live updates may have moved it since this step was drawn.
        await api.complete(instance.id, task.id, outcome, Object.keys(data).length ? data : null, view?.version ?? instance.version);
        await loadDetail();
      });
    };
    const buttons = task.outcomes.length > 0
      ? task.outcomes.map(o => h('button', {
        type: 'button', 'data-outcome': o, class: o === 'Ya' ? undefined : 'secondary',
        onclick: () => complaintOutcome(task, o) ? openComplaint(form, extra => complete(o, extra)) : complete(o),
      }, o))
      : isLadderQuestion(task)
        // One click: completing the step sends exactly its text to the customer as the agent's message.
        ? [h('button', { type: 'button', 'data-outcome': '', 'data-testid': 'ask-now', onclick: () => complete(null) }, t('askNow'))]
        : [h('button', { type: 'button', 'data-outcome': '', onclick: () => complete(null) }, t('done'))];
    if (isLadderQuestion(task)) {
      // The step opens at the second it is due (the ladder's timer): highlight it now.
      form.classList.add('ask-due');
      form.title = t('askDue');
      beep();
    }
    mount(form,
      h('div.step-head', null,
        task.step ? h('span.step', { 'data-testid': 'step' }, `${t('step')} ${task.step}`) : null,
        h('h3', null, task.name ?? task.elementId),
        task.lane ? h('span.muted', null, task.lane) : null),
      task.script && task.outcomes.length === 0 ? h('blockquote.script', { 'data-testid': 'script' }, task.script) : null,
      task.script && task.outcomes.length > 0 && task.script !== task.name ? h('p.question', null, task.script) : null,
      isComplaintDecision(task) ? h('p.hint', null, t('complaint')) : null,
      fieldInputs,
      h('div.outcomes', null, buttons));
    return form;
  }

  function openComplaint(form: HTMLFormElement, submit: (data: Record<string, string>) => Promise<void>): void {
    const dialog = h('fieldset.complaint', { 'data-testid': 'complaint' },
      h('legend', null, t('complaint')),
      h('label', null, t('category'), h('select', { name: 'kategori', required: true }, categories.map(c => h('option', { value: c }, c)))),
      h('label', null, t('priority'), h('select', { name: 'prioritas', required: true }, priorities.map(p => h('option', { value: p, selected: p === 'Sedang' }, p)))),
      h('label', null, t('description'), h('textarea', { name: 'deskripsi', required: true, rows: 3, maxlength: 4000 })),
      h('div.outcomes', null,
        h('button', { type: 'button', 'data-testid': 'raise-complaint', onclick: () => { if (form.reportValidity()) void submit({}); } }, t('raiseComplaint')),
        h('button.secondary', { type: 'button', onclick: () => dialog.remove() }, t('cancel'))));
    form.querySelector('fieldset.complaint')?.remove();
    form.querySelector('.outcomes')!.before(dialog);
    (dialog.querySelector('select') as HTMLSelectElement).focus();
  }

  function simulatorBox(instance: InstanceView): HTMLElement {
    const input = h('input', { name: 'text', required: true, maxlength: 4000, placeholder: t('messagePlaceholder'), 'data-testid': 'sim-text', autocomplete: 'off' });
    const form = h('form.simulator', {
      'data-testid': 'simulator',
      onsubmit: async (e: SubmitEvent) => {
        e.preventDefault();
        const text = input.value.trim();
        if (!text || !instance.customerRef) return;
        await guard(async () => {
          await api.simulate(instance.channel, instance.customerRef!, text);
          input.value = '';
        });
      },
    }, h('label', null, h('span', null, t('simulator'), h('small.muted', null, ` · ${t('simulatorHint')}`)), h('div.row', null, input, h('button', { type: 'submit', 'data-testid': 'sim-send' }, t('send')))));
    return form;
  }

  async function showDiagram(instance: InstanceView): Promise<void> {
    const box = diagramBox;
    const key = instance.tasks[0]?.definitionKey ?? instance.timers[0]?.definitionKey ?? instance.definitionKey;
    const version = instance.pinnedVersions[key] ?? instance.definitionVersion;
    const current = [...instance.tasks.map(x => x.elementId), ...instance.timers.map(x => x.elementId)];
    try {
      const { FlowDiagram } = await import('../diagram');
      if (disposed) return;
      diagram ??= new FlowDiagram(box);
      // A render that a newer one overtook leaves the marks and these attributes to the newer one.
      if (!await diagram.show(key, version, current)) return;
      box.dataset.definition = `${key}@${version}`;
      box.dataset.current = current.join(' ');
      box.dataset.ready = 'true';
    } catch {
      box.dataset.ready = 'false';
      box.replaceWith(h('p.error', null, t('diagramFailed')));
    }
  }

  async function guard(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        toast(t('conflict'));
        await loadDetail();
      } else if (e instanceof ApiError) {
        const fields = Object.entries(e.errors).map(([k, v]) => `${k}: ${v.join(', ')}`).join('; ');
        toast(e.status === 403 ? t('forbidden') : `${e.title}${e.detail ? `: ${e.detail}` : ''}${fields ? ` (${fields})` : ''}`);
      } else {
        toast(`${t('error')}: ${String(e)}`);
      }
    }
  }

  function toast(message: string): void {
    const el = h('div.toast', { role: 'alert' }, message);
    document.body.appendChild(el);
    window.setTimeout(() => el.remove(), 6000);
  }

  function queueRefresh(): void {
    window.clearTimeout(refreshQueued);
    refreshQueued = window.setTimeout(() => { void loadDetail(); void loadList(); }, 120);
  }

  const stop = onLive(({ name, data }) => {
    if (name === 'overflow') { queueRefresh(); return; }
    const id = data.instanceId;
    if (selectedId && (id === selectedId || data.parentInstanceId === selectedId)) queueRefresh();
    else if (name.startsWith('instance-') && data.agent === ctx.me.userName) void loadList();
  });

  // Scripts can change with the minute (the greetings at 06:00, 11:00, 15:00 and 18:00) without any
  // event of the conversation: an open step is read again just after each minute starts, so the
  // words on the screen are the ones the server journals and QC scores when the step is done.
  let minuteRefresh = 0;
  const nextMinute = (): void => {
    minuteRefresh = window.setTimeout(() => {
      if (view?.status === 'Running' && view.tasks.length > 0) void loadDetail();
      nextMinute();
    }, 60_000 - (Date.now() % 60_000) + 500);
  };
  nextMinute();

  void loadList();
  void loadDetail();
  return {
    title: 'menuConsole',
    cleanup: () => {
      disposed = true;
      stop();
      window.clearTimeout(minuteRefresh);
      window.clearInterval(countdownTick);
      window.clearTimeout(refreshQueued);
      diagram?.destroy();
    },
  };
}
