// The properties panel's provider for our cc: attributes (docs/bpmn-subset.md), the timer's
// duration and a flow's condition. It runs after bpmn-js-properties-panel's BPMN provider (name,
// id, documentation, message, link) and drops that provider's groups for what our subset does
// not have (timer date/cycle choice, multi-instance, error, signal, escalation, compensation).
// Every edit goes through `modeling`, so undo/redo, lint and the differ see it.
import { h } from '@bpmn-io/properties-panel/preact';
import { isSelectEntryEdited, isTextAreaEntryEdited, isTextFieldEntryEdited, SelectEntry, TextAreaEntry, TextFieldEntry } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { words } from '../i18n';
import { FLOW_CONTRACTS, purposesFor } from './contracts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Element = any;

const w = words({
  id: {
    group: 'Langkah SOP (cc:)',
    step: 'Langkah SOP (cc:step)',
    stepHint: 'Nomor atau huruf langkah seperti tertulis di SOP: 6, 14a, C.',
    script: 'Skrip (cc:script)',
    scriptHint: 'Teks yang dibaca agen atau dikirim ke nasabah. {nama} diisi dari variabel instance, mis. {salamPenutup}.',
    fields: 'Isian (cc:fields)',
    fieldsHint: 'Nama isian dipisah koma; semuanya wajib saat langkah diselesaikan (kategori, prioritas, deskripsi).',
    serviceKind: 'Jenis layanan (cc:serviceKind)',
    serviceKindHint: 'Wajib pada service task: createTicket, reservationRequest, slaAlert, documentation, …',
    performer: 'Peran pelaksana (cc:performer)',
    performerHint: 'Peran yang menyelesaikan tugas di lajur ini: Agent, Tier2, RelatedTeam.',
    purpose: 'Makna langkah (cc:purpose)',
    purposeHint: 'Apa arti langkah ini bagi aplikasi (penilaian, meja tiket, dashboard membacanya), bukan id atau nama elemen.',
    flowKind: 'Jenis alur (cc:flowKind)',
    flowKindHint: 'Menentukan makna langkah yang wajib ada: conversation, ticket, still-connected.',
    none: '(tidak ada)',
    assign: 'Penetapan variabel (cc:assign)',
    assignHint: 'nama = ekspresi; nama2 = ekspresi — dievaluasi saat elemen ditinggalkan.',
    timerGroup: 'Timer',
    duration: 'Durasi (timeDuration)',
    durationHint: 'ISO 8601: PT1M (1 menit), PT2H, P10D, P1W.',
    slaPolicy: 'Kebijakan SLA (cc:slaPolicy)',
    slaPolicyHint: 'Kalender hari kerja yang menentukan jatuh tempo; durasi di atas adalah nilai nominalnya.',
    conditionGroup: 'Kondisi',
    condition: 'Kondisi alur',
    conditionHint: "Mis. terhubung == false, prioritas == 'Tinggi'. Kosong: agen memilih menurut nama alur (Ya / Tidak).",
  },
  en: {
    group: 'SOP step (cc:)',
    step: 'SOP step (cc:step)',
    stepHint: 'The step number or letter as the SOP writes it: 6, 14a, C.',
    script: 'Script (cc:script)',
    scriptHint: 'What the agent reads or what is sent to the customer. {name} is filled from instance variables, e.g. {salamPenutup}.',
    fields: 'Fields (cc:fields)',
    fieldsHint: 'Comma-separated field names; all are required when the step is completed (kategori, prioritas, deskripsi).',
    serviceKind: 'Service kind (cc:serviceKind)',
    serviceKindHint: 'Required on a service task: createTicket, reservationRequest, slaAlert, documentation, …',
    performer: 'Performer (cc:performer)',
    performerHint: "The role that completes this lane's tasks: Agent, Tier2, RelatedTeam.",
    purpose: 'Purpose (cc:purpose)',
    purposeHint: 'What this step means to the product (the scorecard, the ticket desk and the dashboard read it), never the element id or name.',
    flowKind: 'Kind of flow (cc:flowKind)',
    flowKindHint: 'Decides which purposes the flow must have: conversation, ticket, still-connected.',
    none: '(none)',
    assign: 'Assignments (cc:assign)',
    assignHint: 'name = expression; name2 = expression — evaluated when the element is left.',
    timerGroup: 'Timer',
    duration: 'Duration (timeDuration)',
    durationHint: 'ISO 8601: PT1M (1 minute), PT2H, P10D, P1W.',
    slaPolicy: 'SLA policy (cc:slaPolicy)',
    slaPolicyHint: 'The working-day calendar that decides the due time; the duration above is its nominal value.',
    conditionGroup: 'Condition',
    condition: 'Flow condition',
    conditionHint: "E.g. terhubung == false, prioritas == 'Tinggi'. Empty: the agent picks by the flows' names (Ya / Tidak).",
  },
});

const is = (element: Element, type: string): boolean => !!element?.businessObject?.$instanceOf?.(type);
const isAny = (element: Element, types: string[]) => types.some(t => is(element, t));

const WORK_TASKS = ['bpmn:UserTask', 'bpmn:ManualTask', 'bpmn:SendTask'];
const FIELD_TASKS = ['bpmn:UserTask', 'bpmn:ManualTask', 'bpmn:ServiceTask'];

type CcName = 'step' | 'script' | 'fields' | 'serviceKind' | 'slaPolicy' | 'assign' | 'performer';

const CC_ENTRIES: Record<CcName, { multiline: boolean; label: () => string; description: () => string }> = {
  step: { multiline: false, label: () => w('step'), description: () => w('stepHint') },
  script: { multiline: true, label: () => w('script'), description: () => w('scriptHint') },
  fields: { multiline: false, label: () => w('fields'), description: () => w('fieldsHint') },
  serviceKind: { multiline: false, label: () => w('serviceKind'), description: () => w('serviceKindHint') },
  slaPolicy: { multiline: false, label: () => w('slaPolicy'), description: () => w('slaPolicyHint') },
  assign: { multiline: false, label: () => w('assign'), description: () => w('assignHint') },
  performer: { multiline: false, label: () => w('performer'), description: () => w('performerHint') },
};

/** One component per attribute, made once: a new function per render would remount the input and lose the caret. */
const CC_COMPONENTS = Object.fromEntries(Object.entries(CC_ENTRIES).map(([name, spec]) => [name, (props: { element: Element; id: string }) => {
  const { element, id } = props;
  const modeling = useService('modeling');
  const debounce = useService('debounceInput');
  const getValue = () => element.businessObject.get(`cc:${name}`) ?? '';
  // An emptied attribute is removed, not written as cc:x="".
  const setValue = (value: string) => modeling.updateProperties(element, { [`cc:${name}`]: value === '' ? undefined : value });
  return h(spec.multiline ? TextAreaEntry : TextFieldEntry, {
    id, element, label: spec.label(), description: spec.description(), getValue, setValue, debounce,
    ...(spec.multiline ? { autoResize: true, rows: 4 } : {}),
  });
}])) as Record<CcName, (props: { element: Element; id: string }) => unknown>;

function ccEntry(name: CcName) {
  return { id: `cc-${name}`, component: CC_COMPONENTS[name], isEdited: CC_ENTRIES[name].multiline ? isTextAreaEntryEdited : isTextFieldEntryEdited };
}

function timerDefinition(element: Element): Element | null {
  const definitions: Element[] = element.businessObject.eventDefinitions ?? [];
  return definitions.find(d => d.$instanceOf('bpmn:TimerEventDefinition')) ?? null;
}

function DurationEntry(props: { element: Element; id: string }) {
  const { element, id } = props;
  const modeling = useService('modeling');
  const factory = useService('bpmnFactory');
  const debounce = useService('debounceInput');
  const definition = timerDefinition(element);
  const getValue = () => definition?.timeDuration?.body ?? '';
  const setValue = (value: string) => {
    const expression = value === '' ? undefined : factory.create('bpmn:FormalExpression', { body: value });
    // The subset has duration timers only: a date or cycle is dropped when a duration is set.
    modeling.updateModdleProperties(element, definition, { timeDuration: expression, timeDate: undefined, timeCycle: undefined });
  };
  return h(TextFieldEntry, { id, element, label: w('duration'), description: w('durationHint'), getValue, setValue, debounce });
}

function ConditionEntry(props: { element: Element; id: string }) {
  const { element, id } = props;
  const modeling = useService('modeling');
  const factory = useService('bpmnFactory');
  const debounce = useService('debounceInput');
  const getValue = () => element.businessObject.conditionExpression?.body ?? '';
  const setValue = (value: string) => {
    modeling.updateProperties(element, {
      conditionExpression: value.trim() === '' ? undefined : factory.create('bpmn:FormalExpression', { body: value }),
    });
  };
  return h(TextFieldEntry, { id, element, label: w('condition'), description: w('conditionHint'), getValue, setValue, debounce });
}

/** The process a flow node or participant belongs to (its cc:flowKind decides the purposes offered). */
function processOf(element: Element): Element | null {
  let bo = element.businessObject;
  if (bo?.$instanceOf?.('bpmn:Participant')) return bo.processRef ?? null;
  while (bo && !bo.$instanceOf?.('bpmn:Process')) bo = bo.$parent;
  return bo ?? null;
}

/** cc:purpose as a list of the purposes the flow's kind knows; a combination already written (need-identification, solution) stays offered. */
function PurposeEntry(props: { element: Element; id: string }) {
  const { element, id } = props;
  const modeling = useService('modeling');
  const getValue = () => element.businessObject.get('cc:purpose') ?? '';
  const setValue = (value: string) => modeling.updateProperties(element, { 'cc:purpose': value === '' ? undefined : value });
  const getOptions = () => {
    const current = getValue();
    const purposes = purposesFor(processOf(element)?.get('cc:flowKind') ?? null);
    const values = current !== '' && !purposes.includes(current) ? [current, ...purposes] : purposes;
    return [{ value: '', label: w('none') }, ...values.map(p => ({ value: p, label: p }))];
  };
  return h(SelectEntry, { id, element, label: w('purpose'), description: w('purposeHint'), getValue, setValue, getOptions });
}

/** cc:flowKind on the process (reached through its participant in a collaboration). */
function FlowKindEntry(props: { element: Element; id: string }) {
  const { element, id } = props;
  const modeling = useService('modeling');
  const process = processOf(element);
  const getValue = () => process?.get('cc:flowKind') ?? '';
  const setValue = (value: string) => modeling.updateModdleProperties(element, process, { 'cc:flowKind': value === '' ? undefined : value });
  const getOptions = () => [{ value: '', label: w('none') }, ...Object.keys(FLOW_CONTRACTS).map(k => ({ value: k, label: k }))];
  return h(SelectEntry, { id, element, label: w('flowKind'), description: w('flowKindHint'), getValue, setValue, getOptions });
}

const HIDDEN_GROUPS = new Set(['timer', 'multiInstance', 'compensation', 'error', 'signal', 'escalation', 'adHocCompletion']);

export class CcPropertiesProvider {
  static $inject = ['propertiesPanel'];

  constructor(propertiesPanel: { registerProvider(priority: number, provider: unknown): void }) {
    propertiesPanel.registerProvider(500, this);
  }

  getGroups(element: Element) {
    return (groups: { id: string }[]) => {
      const kept = groups.filter(g => !HIDDEN_GROUPS.has(g.id));
      const entries = [];
      if (is(element, 'bpmn:FlowNode')) entries.push(ccEntry('step'), { id: 'cc-purpose', component: PurposeEntry, isEdited: isSelectEntryEdited });
      if (isAny(element, ['bpmn:Process', 'bpmn:Participant']) && processOf(element)) entries.push({ id: 'cc-flowKind', component: FlowKindEntry, isEdited: isSelectEntryEdited });
      if (isAny(element, WORK_TASKS) || is(element, 'bpmn:ExclusiveGateway')) entries.push(ccEntry('script'));
      if (isAny(element, FIELD_TASKS)) entries.push(ccEntry('fields'));
      if (is(element, 'bpmn:ServiceTask')) entries.push(ccEntry('serviceKind'));
      if (is(element, 'bpmn:FlowNode')) entries.push(ccEntry('assign'));
      if (is(element, 'bpmn:Lane')) entries.push(ccEntry('performer'));
      const result: unknown[] = [...kept];
      if (entries.length) result.splice(1, 0, { id: 'cc', label: w('group'), entries });
      if (timerDefinition(element) && isAny(element, ['bpmn:IntermediateCatchEvent', 'bpmn:BoundaryEvent'])) {
        result.splice(1, 0, {
          id: 'cc-timer', label: w('timerGroup'),
          entries: [{ id: 'cc-duration', component: DurationEntry, isEdited: isTextFieldEntryEdited }, ccEntry('slaPolicy')],
        });
      }
      if (is(element, 'bpmn:SequenceFlow') && is({ businessObject: element.businessObject.sourceRef }, 'bpmn:ExclusiveGateway')) {
        result.splice(1, 0, { id: 'cc-condition', label: w('conditionGroup'), entries: [{ id: 'cc-condition-expression', component: ConditionEntry, isEdited: isTextFieldEntryEdited }] });
      }
      return result;
    };
  }
}

export const CcPropertiesProviderModule = {
  __init__: ['ccPropertiesProvider'],
  ccPropertiesProvider: ['type', CcPropertiesProvider],
};
