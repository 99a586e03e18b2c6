// Our bpmnlint rules: the server's BpmnParser and DefinitionValidator checks
// (src/ContactCenter.Engine/Parsing/BpmnParser.cs, Validation/DefinitionValidator.cs), re-done
// over the modeler's moddle tree with the same element ids and the same messages. The server
// stops after the parser's problems and validates only a document that parsed, then checks the
// called definitions only for a valid one; `analyse` keeps those stages so the canvas shows what
// the server would answer. docs/web-designer.md has the rule ↔ check table, and the browser test
// DesignerLintAgreementTests compares both on broken flows so the two cannot drift silently.
import { CC_ATTRIBUTES, CC_NAMESPACE } from './cc-moddle';
import { FLOW_CONTRACTS, KNOWN_PURPOSES } from './contracts';
import { checkAssignments, checkExpression, excerpt, ExpressionSyntaxError, readDuration } from './expression';

/* eslint-disable @typescript-eslint/no-explicit-any */
type El = any;

export type RuleName =
  | 'subset' | 'references' | 'process-key' | 'extension-attributes' | 'expressions' | 'lane-names'
  | 'start-event' | 'can-end' | 'reachable' | 'connections' | 'gateway-flows' | 'timer-duration'
  | 'link-pairs' | 'lanes' | 'service-kind' | 'event-gateway' | 'busy-loop' | 'flow-contract' | 'called-element';

export interface Finding { rule: RuleName; id: string | null; message: string }

/** Every rule, in the order of docs/web-designer.md's table. */
export const RULES: RuleName[] = [
  'subset', 'references', 'process-key', 'extension-attributes', 'expressions', 'lane-names', 'timer-duration',
  'start-event', 'reachable', 'can-end', 'busy-loop', 'connections', 'gateway-flows', 'link-pairs', 'lanes',
  'service-kind', 'event-gateway', 'flow-contract', 'called-element',
];

const local = (el: El): string => {
  const type: string = el.$type ?? '';
  const name = type.includes(':') ? type.slice(type.indexOf(':') + 1) : type;
  return name.charAt(0).toLowerCase() + name.slice(1);
};

const TASKS = new Set(['userTask', 'manualTask', 'serviceTask', 'sendTask', 'receiveTask']);
const GATEWAYS = new Set(['exclusiveGateway', 'parallelGateway', 'eventBasedGateway']);

interface Node {
  el: El; id: string; kind: string; name: string | null; container: Container;
  incoming: Flow[]; outgoing: Flow[]; boundaries: Node[];
  lane: string | null; trigger: 'timer' | 'message' | 'link' | null; linkName: string | null; linkTarget: Node | null;
  defaultFlow: Flow | null; timerValid: boolean; messageNamed: boolean; attachedTo: Node | null;
  purposes: string[];
}
interface Flow { el: El; id: string; name: string | null; source: Node; target: Node; hasCondition: boolean }
interface Container { id: string | null; nodes: Node[]; start: Node | null; linkTargets: Map<string, Node> }

/** A cc:purpose or cc:flowKind name, as BpmnParser.PurposePattern. */
const PURPOSE_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const describe = (n: Node) => (n.name === null ? `${n.kind} ${n.id}` : `${n.kind} '${n.name}' (${n.id})`);
const isDecidedByAgent = (g: Node) => g.kind === 'exclusiveGateway' && g.outgoing.length > 1 && g.outgoing.every(f => !f.hasCondition) && g.defaultFlow === null;

/** The cc: attributes an element carries: known ones are model properties, others stay in $attrs. */
function ccAttributes(el: El, prefixes: Set<string>): string[] {
  const names: string[] = [];
  for (const name of CC_ATTRIBUTES) {
    const value = el.get ? el.get(`cc:${name}`) : undefined;
    if (value !== undefined && value !== null) names.push(name);
  }
  for (const key of Object.keys(el.$attrs ?? {})) {
    const colon = key.indexOf(':');
    if (colon > 0 && prefixes.has(key.slice(0, colon))) names.push(key.slice(colon + 1));
  }
  return names;
}

/** The prefixes the document binds to our namespace (normally just "cc"). */
function ccPrefixes(definitions: El): Set<string> {
  const prefixes = new Set<string>(['cc']);
  for (const [key, value] of Object.entries(definitions.$attrs ?? {})) {
    if (key.startsWith('xmlns:') && value === CC_NAMESPACE) prefixes.add(key.slice(6));
  }
  return prefixes;
}

function attr(el: El, name: string): string | null {
  const value = el.get ? el.get(`cc:${name}`) : undefined;
  return value === undefined || value === null ? null : String(value);
}

/** The parser's and validator's findings, staged as the server stages them. */
export function analyse(definitions: El, published: string[] | null): Finding[] {
  const parse = parseStage(definitions);
  if (parse.findings.length > 0 || !parse.model) return parse.findings;
  const validation = validateStage(parse.model);
  if (validation.length > 0) return validation;
  const contract = contractStage(parse.model);
  return published === null ? contract : [...contract, ...catalogueStage(parse.model, published)];
}

interface Model { key: string; flowKind: string | null; nodes: Map<string, Node>; containers: Container[] }

function parseStage(definitions: El): { findings: Finding[]; model: Model | null } {
  const findings: Finding[] = [];
  const add = (rule: RuleName, id: string | null | undefined, message: string) => findings.push({ rule, id: id ?? null, message });
  const prefixes = ccPrefixes(definitions);
  const ids = new Set<string>();

  const requireId = (el: El): string | null => {
    const id: string | undefined = el.id;
    if (!id || !id.trim()) { add('references', null, `<${local(el)}> has no id`); return null; }
    if (ids.has(id)) add('references', id, 'the id is used twice');
    ids.add(id);
    return id;
  };

  const checkExtensionAttributes = (el: El, allowed: string[]) => {
    for (const name of ccAttributes(el, prefixes)) {
      if (!(CC_ATTRIBUTES as readonly string[]).includes(name)) {
        add('extension-attributes', el.id, `cc:${name} is not one of our extension attributes (${CC_ATTRIBUTES.map(a => 'cc:' + a).join(', ')})`);
      } else if (['serviceKind', 'slaPolicy', 'performer', 'startableBy', 'purpose', 'flowKind'].includes(name) && !allowed.includes(name)) {
        add('extension-attributes', el.id, `cc:${name} does not belong on ${local(el)}`);
      }
    }
  };

  // cc:performer (a lane) and cc:startableBy (the process): role names, as BpmnParser.Roles reads them.
  const checkRoles = (el: El, name: 'performer' | 'startableBy', id: string | null): string[] => {
    const text = attr(el, name);
    if (text === null) return [];
    const roles = text.split(',').map(r => r.trim());
    if (roles.some(r => !/^[A-Za-z][A-Za-z0-9]{0,63}$/.test(r))) {
      add('extension-attributes', id, `cc:${name} '${excerpt(text)}' is not a comma-separated list of role names (letters and digits, e.g. Agent, Tier2, RelatedTeam)`);
      return [];
    }
    return [...new Set(roles)];
  };

  // cc:purpose (a flow node): purpose names, as BpmnParser.Purposes reads them.
  const readPurposes = (el: El, id: string): string[] => {
    const text = attr(el, 'purpose');
    if (text === null) return [];
    const purposes = text.split(',').map(p => p.trim());
    if (purposes.some(p => !PURPOSE_NAME.test(p))) {
      add('extension-attributes', id, `cc:purpose '${excerpt(text)}' is not a comma-separated list of purpose names (lower-case letters, digits and hyphens, e.g. opening-greeting)`);
      return [];
    }
    return [...new Set(purposes)];
  };

  const outside = (el: El) => add('subset', el.id, `<${local(el)}> is outside the supported BPMN subset (see docs/bpmn-subset.md)`);

  let process: El | null = null;
  const messages = new Map<string, string>();
  for (const root of definitions.rootElements ?? []) {
    switch (local(root)) {
      case 'process':
        if (process === null) process = root;
        else add('subset', root.id, 'a definition file holds exactly one process; put each process in its own file and use a call activity');
        break;
      case 'message': {
        const id = requireId(root);
        if (id !== null) messages.set(id, root.name ?? id);
        break;
      }
      case 'collaboration':
        for (const participant of root.participants ?? []) {
          if (participant.participantMultiplicity || participant.interfaceRefs?.length || participant.endPointRefs?.length) outside(participant);
        }
        for (const flow of root.messageFlows ?? []) outside(flow);
        for (const artifact of root.artifacts ?? []) {
          if (!['textAnnotation', 'association'].includes(local(artifact))) outside(artifact);
        }
        for (const other of [...(root.conversations ?? []), ...(root.conversationLinks ?? []), ...(root.correlationKeys ?? [])]) outside(other);
        break;
      default:
        outside(root);
    }
  }

  if (process === null) {
    add('subset', null, 'the document has no <process>');
    return { findings, model: null };
  }

  const key = requireId(process);
  // The server's rule (DefinitionKeys in the engine), limit included.
  if (key !== null && !/^[a-z][a-z0-9-]{0,63}$/.test(key)) {
    add('process-key', key, 'the process id is the definition key: lower-case letters, digits and dashes, starting with a letter, at most 64 characters (e.g. live-chat)');
  }
  if (process.isExecutable !== true) add('process-key', key, 'the process must be marked isExecutable="true"');
  checkExtensionAttributes(process, ['startableBy', 'flowKind']);
  checkRoles(process, 'startableBy', key);
  let flowKind = attr(process, 'flowKind');
  if (flowKind !== null && !PURPOSE_NAME.test(flowKind)) {
    add('extension-attributes', key, `cc:flowKind '${excerpt(flowKind)}' is not a name (lower-case letters, digits and hyphens, e.g. conversation)`);
    flowKind = null;
  }

  const nodes = new Map<string, Node>();
  const flowList: { el: El; id: string; container: Container; hasCondition: boolean }[] = [];
  const containers: Container[] = [];
  const lanes: { el: El; id: string; name: string; refs: El[] }[] = [];

  const readContainer = (owner: El, container: Container) => {
    containers.push(container);
    if (owner.loopCharacteristics && container.id !== null) {
      add('subset', container.id, `<${local(owner.loopCharacteristics)}> inside subProcess is outside the supported subset`);
    }
    for (const laneSet of owner.laneSets ?? []) {
      if (container.id !== null) { outside(laneSet); continue; }
      for (const lane of laneSet.lanes ?? []) readLane(lane);
    }
    for (const artifact of owner.artifacts ?? []) {
      if (!['textAnnotation', 'association'].includes(local(artifact))) outside(artifact);
    }
    for (const el of owner.flowElements ?? []) {
      if (local(el) === 'sequenceFlow') { readFlow(el, container); continue; }
      const node = readNode(el, container);
      if (!node) continue;
      container.nodes.push(node);
      if (node.kind === 'startEvent') container.start ??= node;
      if (node.kind === 'subProcess') readContainer(el, { id: node.id, nodes: [], start: null, linkTargets: new Map() });
    }
  };

  const readLane = (lane: El) => {
    const id = requireId(lane);
    const name: string | undefined = lane.name;
    if (!name || !name.trim()) add('lane-names', id, 'a lane needs a name: the role that works its tasks (Agent, Tier 2, Pihak Terkait)');
    if (lane.childLaneSet) add('subset', id, 'nested lanes are outside the subset (<childLaneSet>); use one level of lanes, one per role');
    checkExtensionAttributes(lane, ['performer']);
    const performers = checkRoles(lane, 'performer', id);
    if (performers.length > 1) add('extension-attributes', id, `cc:performer names one role, not ${performers.length}: split the lane`);
    lanes.push({ el: lane, id: id ?? '?', name: name ?? '?', refs: lane.flowNodeRef ?? [] });
  };

  const readFlow = (el: El, container: Container) => {
    const id = requireId(el);
    if (!el.sourceRef || !el.targetRef) { add('references', id, 'a sequence flow needs sourceRef and targetRef'); return; }
    checkExtensionAttributes(el, []);
    let hasCondition = false;
    const condition = el.conditionExpression;
    if (condition) {
      const language: string | undefined = condition.language;
      if (language !== undefined && language !== 'cc-expr') {
        add('subset', id, `condition language '${language}' is not supported; leave it out (our expression language is the default)`);
      } else {
        const body: string = condition.body ?? '';
        try {
          checkExpression(body);
          hasCondition = true;
        } catch (e) {
          if (!(e instanceof ExpressionSyntaxError)) throw e;
          add('expressions', id, `condition '${excerpt(body.trim())}' does not parse: ${e.message}`);
        }
      }
    }
    if (el.extensionElements) outside(el.extensionElements);
    if (id !== null) flowList.push({ el, id, container, hasCondition });
  };

  const readNode = (el: El, container: Container): Node | null => {
    const id = requireId(el);
    if (id === null) return null;
    const kind = local(el);
    const unsupportedChildren: [string, unknown][] = [
      ['ioSpecification', el.ioSpecification], ['dataInputAssociations', el.dataInputAssociations?.length],
      ['dataOutputAssociations', el.dataOutputAssociations?.length], ['property', el.properties?.length],
      ['resources', el.resources?.length], ['compensateEventDefinition', false],
      ['extensionElements', el.extensionElements?.values?.length],
    ];
    if (kind !== 'subProcess' && el.loopCharacteristics) unsupportedChildren.push([local(el.loopCharacteristics), true]);
    for (const [child, present] of unsupportedChildren) {
      if (present) add('subset', id, `<${child}> inside ${kind} is outside the supported subset`);
    }

    const definitions: El[] = el.eventDefinitions ?? [];
    if (definitions.length > 1) {
      add('subset', id, 'an event with more than one event definition is outside the supported subset');
      return null;
    }
    const definition = definitions[0] ?? null;
    const definitionName = definition ? local(definition) : null;
    let allowed: string[] = [];
    const node: Node = {
      el, id, kind, name: el.name ?? null, container, incoming: [], outgoing: [], boundaries: [], lane: null,
      trigger: null, linkName: null, linkTarget: null, defaultFlow: null, timerValid: true, messageNamed: true, attachedTo: null, purposes: [],
    };

    const readTimer = (def: El) => {
      node.trigger = 'timer';
      if (def.timeDate || def.timeCycle) {
        add('subset', id, `<${def.timeDate ? 'timeDate' : 'timeCycle'}> timers are outside the subset; use timeDuration (e.g. PT1M)`);
        node.timerValid = false;
        return;
      }
      const text: string | undefined = def.timeDuration?.body;
      if (!text || !text.trim()) {
        add('timer-duration', id, 'the timer has no timeDuration (e.g. PT1M for one minute)');
        node.timerValid = false;
        return;
      }
      const { ms, error } = readDuration(text);
      if (ms === null || ms <= 0) {
        const why = error ?? 'is not a positive ISO 8601 duration of weeks, days, hours, minutes or seconds (e.g. PT1M, P10D)';
        add('timer-duration', id, `timeDuration '${excerpt(text.trim())}' ${why}`);
        node.timerValid = false;
      }
    };
    const readMessage = (def: El) => {
      node.trigger = 'message';
      if (!def.messageRef) { add('references', id, 'the message event needs a messageRef naming a declared <message>'); node.messageNamed = false; }
    };
    const readLink = (def: El) => {
      const name: string | undefined = def.name || el.name;
      if (!name || !name.trim()) add('link-pairs', id, 'a link event needs a name: throws and catches pair by it');
      node.linkName = name ?? null;
    };

    switch (kind) {
      case 'startEvent':
        if (definition) add('subset', id, `a start event with a ${definitionName} is outside the subset; instances are started by the runtime, so use a none start event`);
        break;
      case 'endEvent':
        if (definition && definitionName !== 'terminateEventDefinition') add('subset', id, `an end event with a ${definitionName} is outside the subset (none and terminate are supported)`);
        break;
      case 'userTask': case 'manualTask': case 'serviceTask': case 'sendTask': case 'receiveTask':
        if (attr(el, 'serviceKind') !== null && kind !== 'serviceTask') add('extension-attributes', id, 'cc:serviceKind belongs on a service task');
        allowed = ['serviceKind'];
        if (kind === 'receiveTask' && !el.messageRef) add('references', id, 'a receive task needs a messageRef naming the message it waits for');
        break;
      case 'exclusiveGateway':
        break;
      case 'parallelGateway':
        break;
      case 'eventBasedGateway':
        if (el.eventGatewayType === 'Parallel' || el.instantiate === true) add('subset', id, 'only exclusive, non-instantiating event-based gateways are supported');
        break;
      case 'intermediateCatchEvent':
        allowed = ['slaPolicy'];
        if (definitionName === 'timerEventDefinition') readTimer(definition);
        else if (definitionName === 'messageEventDefinition') readMessage(definition);
        else if (definitionName === 'linkEventDefinition') { node.trigger = 'link'; readLink(definition); }
        else if (definitionName === null) { add('subset', id, 'an intermediate catch event needs a timer, message or link definition'); return null; }
        else { add('subset', id, `a catch event with a ${definitionName} is outside the subset (timer, message and link are supported)`); return null; }
        break;
      case 'intermediateThrowEvent':
        if (definition && definitionName !== 'linkEventDefinition') add('subset', id, `an intermediate throw event with a ${definitionName} is outside the subset (none and link are supported)`);
        if (definition) readLink(definition);
        break;
      case 'boundaryEvent':
        allowed = ['slaPolicy'];
        if (!el.attachedToRef) { add('references', id, 'a boundary event needs attachedToRef'); return null; }
        if (definitionName === 'timerEventDefinition') readTimer(definition);
        else if (definitionName === 'messageEventDefinition') readMessage(definition);
        else {
          add('subset', id, `a boundary event with ${definition ? 'a ' + definitionName : 'no event definition'} is outside the subset (timer and message are supported)`);
          return null;
        }
        break;
      case 'callActivity':
        if (!el.calledElement || !String(el.calledElement).trim()) add('references', id, 'a call activity needs calledElement: the key of the definition it runs');
        break;
      case 'subProcess':
        if (el.triggeredByEvent === true) add('subset', id, 'event sub-processes are outside the supported subset');
        break;
      default:
        outside(el);
        return null;
    }

    checkExtensionAttributes(el, [...allowed, 'purpose']);
    node.purposes = readPurposes(el, id);
    const assign = attr(el, 'assign');
    if (assign !== null) {
      try {
        checkAssignments(assign);
      } catch (e) {
        if (!(e instanceof ExpressionSyntaxError)) throw e;
        add('expressions', id, `cc:assign '${excerpt(assign)}' does not parse: ${e.message}`);
      }
    }
    nodes.set(id, node);
    return node;
  };

  readContainer(process, { id: null, nodes: [], start: null, linkTargets: new Map() });

  // WireUp: flows, defaults, boundaries, link targets, lanes.
  const flows: Flow[] = [];
  for (const { el, id, hasCondition } of flowList) {
    const source = nodes.get(el.sourceRef.id);
    const target = nodes.get(el.targetRef.id);
    if (!source) { add('references', id, `sourceRef '${el.sourceRef.id}' is not a flow node of this process`); continue; }
    if (!target) { add('references', id, `targetRef '${el.targetRef.id}' is not a flow node of this process`); continue; }
    if (source.container !== target.container) { add('references', id, 'a sequence flow cannot cross a sub-process boundary'); continue; }
    const flow: Flow = { el, id, name: el.name ?? null, source, target, hasCondition };
    flows.push(flow);
    source.outgoing.push(flow);
    target.incoming.push(flow);
  }
  for (const node of nodes.values()) {
    switch (node.kind) {
      case 'exclusiveGateway': {
        const fallback: El = node.el.default;
        if (fallback) {
          const flow = flows.find(f => f.el === fallback);
          if (flow && flow.source === node) node.defaultFlow = flow;
          else add('references', node.id, `default flow '${fallback.id}' is not an outgoing flow of this gateway`);
        }
        break;
      }
      case 'boundaryEvent': {
        const host = nodes.get(node.el.attachedToRef.id);
        if (host && (TASKS.has(host.kind) || host.kind === 'callActivity' || host.kind === 'subProcess')) {
          node.attachedTo = host;
          host.boundaries.push(node);
        } else {
          add('references', node.id, `attachedToRef '${node.el.attachedToRef.id}' is not a task, call activity or sub-process of this process`);
        }
        break;
      }
      case 'intermediateCatchEvent':
        if (node.trigger === 'link' && node.linkName !== null) {
          if (node.container.linkTargets.has(node.linkName)) add('link-pairs', node.id, `link '${node.linkName}' has more than one catch event in this scope`);
          else node.container.linkTargets.set(node.linkName, node);
        }
        break;
    }
  }
  for (const node of nodes.values()) {
    if (node.kind === 'intermediateThrowEvent' && node.linkName !== null) node.linkTarget = node.container.linkTargets.get(node.linkName) ?? null;
  }
  for (const lane of lanes) {
    for (const ref of lane.refs) {
      const node = nodes.get(ref.id);
      if (!node) add('references', lane.id, `flowNodeRef '${ref.id}' is not a flow node of this process`);
      else if (node.lane !== null && node.lane !== lane.name) add('lanes', lane.id, `${describe(node)} is in two lanes`);
      else node.lane = lane.name;
    }
  }
  const inherit = (sub: Node) => {
    for (const child of [...nodes.values()].filter(n => n.container.id === sub.id)) {
      child.lane ??= sub.lane;
      if (child.kind === 'subProcess') inherit(child);
    }
  };
  for (const sub of [...nodes.values()].filter(n => n.kind === 'subProcess' && n.container.id === null)) inherit(sub);

  return { findings, model: { key: key ?? '?', flowKind, nodes, containers } };
}

function successors(node: Node): Node[] {
  const next = node.outgoing.map(f => f.target);
  if (node.kind === 'intermediateThrowEvent' && node.linkTarget) next.push(node.linkTarget);
  return next.concat(node.boundaries);
}

function validateStage(model: Model): Finding[] {
  const findings: Finding[] = [];
  const add = (rule: RuleName, node: Node, message: string) => findings.push({ rule, id: node.id, message });

  for (const container of model.containers) {
    const scope = container.id === null ? 'the process' : `sub-process ${container.id}`;
    const starts = container.nodes.filter(n => n.kind === 'startEvent');
    if (starts.length !== 1) {
      findings.push({ rule: 'start-event', id: container.id ?? model.key, message: `${scope} has ${starts.length} start events; it needs exactly one none start event` });
    }

    // Rule 4: reachable from the start (links through their throws, boundaries through their activity).
    if (container.start) {
      const seen = new Set<Node>([container.start]);
      const queue = [container.start];
      while (queue.length) {
        for (const next of successors(queue.shift()!)) {
          if (!seen.has(next)) { seen.add(next); queue.push(next); }
        }
      }
      for (const node of container.nodes) if (!seen.has(node)) add('reachable', node, 'it cannot be reached from the start event');
    }

    // Rule 3: every node can reach an end event (a boundary event is an alternative exit, not how the activity ends).
    // One walk backwards from the end events, as DefinitionValidator.CheckEnding (a fixpoint sweep was quadratic).
    const linkThrows = new Map<Node, Node[]>();
    for (const node of container.nodes) {
      if (node.kind === 'intermediateThrowEvent' && node.linkTarget) {
        linkThrows.set(node.linkTarget, [...(linkThrows.get(node.linkTarget) ?? []), node]);
      }
    }
    const canEnd = new Set<Node>(container.nodes.filter(n => n.kind === 'endEvent'));
    const backwards = [...canEnd];
    while (backwards.length) {
      const node = backwards.pop()!;
      for (const before of [...node.incoming.map(f => f.source), ...(linkThrows.get(node) ?? [])]) {
        if (!canEnd.has(before)) { canEnd.add(before); backwards.push(before); }
      }
    }
    for (const node of container.nodes) {
      if (!canEnd.has(node)) add('can-end', node, 'no path from here reaches an end event, so an instance here could never complete');
    }

    // A loop of nodes that never wait.
    const passesThrough = (n: Node): boolean => {
      switch (n.kind) {
        case 'userTask': case 'manualTask': case 'receiveTask': return false;
        case 'serviceTask': case 'sendTask': return true;
        case 'exclusiveGateway': return !isDecidedByAgent(n);
        case 'parallelGateway': return n.incoming.length <= 1;
        case 'startEvent': case 'intermediateThrowEvent': return true;
        case 'intermediateCatchEvent': return n.trigger === 'link';
        default: return false;
      }
    };
    // Depth-first with an explicit stack (1 = on the path, 2 = done), as DefinitionValidator.CheckBusyLoops.
    const state = new Map<Node, number>();
    let reported = false;
    for (const root of container.nodes.filter(passesThrough)) {
      if ((state.get(root) ?? 0) !== 0) continue;
      state.set(root, 1);
      const path: { node: Node; next: Node[]; at: number }[] = [{ node: root, next: successors(root).filter(passesThrough), at: 0 }];
      while (path.length) {
        const top = path[path.length - 1];
        if (top.at >= top.next.length) { state.set(top.node, 2); path.pop(); continue; }
        const next = top.next[top.at++];
        const mark = state.get(next) ?? 0;
        if (mark === 1 && !reported) {
          reported = true;
          add('busy-loop', next, 'it is on a loop in which nothing waits (no task, timer or message), so a token would go round forever');
        } else if (mark === 0) {
          state.set(next, 1);
          path.push({ node: next, next: successors(next).filter(passesThrough), at: 0 });
        }
      }
    }
  }

  for (const node of model.nodes.values()) {
    checkConnections(node, add);
    switch (node.kind) {
      case 'exclusiveGateway':
        checkExclusive(node, add);
        break;
      case 'eventBasedGateway':
        if (node.outgoing.length < 2) add('event-gateway', node, 'an event-based gateway needs at least two outgoing flows, one per event it waits for');
        for (const flow of node.outgoing) {
          const target = flow.target;
          if (target.kind !== 'intermediateCatchEvent' || (target.trigger !== 'timer' && target.trigger !== 'message') || target.incoming.length !== 1) {
            add('event-gateway', node, `flow ${flow.id} leads to ${describe(target)}; an event-based gateway leads only to timer or message catch events that have no other incoming flow`);
          }
        }
        break;
      case 'intermediateThrowEvent':
        if (node.linkName !== null && node.linkTarget === null) add('link-pairs', node, `link '${node.linkName}' has no catch event of the same name in this scope`);
        break;
      case 'serviceTask':
        if (!attr(node.el, 'serviceKind')) add('service-kind', node, 'a service task needs cc:serviceKind: what the runtime does (e.g. createTicket)');
        break;
    }
    if (node.trigger === 'timer' && !node.timerValid) add('timer-duration', node, 'the timer has no valid duration');
    if (node.trigger === 'message' && !node.messageNamed) add('references', node, 'the message event names no declared message');
    const needsLane = TASKS.has(node.kind) || isDecidedByAgent(node);
    if (needsLane && node.lane === null) {
      add('lanes', node, 'it sits in no lane; every task and every agent-decided gateway belongs to the lane of the role that does it');
    }
  }
  return findings;
}

function checkConnections(node: Node, add: (rule: RuleName, node: Node, message: string) => void): void {
  const isLinkCatch = node.kind === 'intermediateCatchEvent' && node.trigger === 'link';
  const isLinkThrow = node.kind === 'intermediateThrowEvent' && node.linkName !== null;
  const startOrBoundary = node.kind === 'startEvent' || node.kind === 'boundaryEvent';
  if (startOrBoundary && node.incoming.length > 0) add('connections', node, `a ${node.kind} cannot have incoming sequence flows`);
  else if (!startOrBoundary && !isLinkCatch && node.incoming.length === 0) add('connections', node, 'no sequence flow leads here');
  if (isLinkCatch && node.incoming.length > 0) add('connections', node, 'a link catch event is reached through its link, not by sequence flows');
  if ((node.kind === 'endEvent' || isLinkThrow) && node.outgoing.length > 0) {
    add('connections', node, `${isLinkThrow ? 'a link throw event' : 'an end event'} cannot have outgoing sequence flows`);
  }
  if (node.kind !== 'endEvent' && !GATEWAYS.has(node.kind) && !isLinkThrow) {
    if (node.outgoing.length === 0) add('connections', node, 'it has no outgoing sequence flow, so its token could never go on');
    else if (node.outgoing.length > 1) add('connections', node, `it has ${node.outgoing.length} outgoing sequence flows; branch with a gateway instead (activities and events have one)`);
  }
  if (node.kind !== 'exclusiveGateway') {
    for (const flow of node.outgoing.filter(f => f.hasCondition)) {
      add('connections', node, `flow ${flow.id} has a condition, but conditions are only evaluated on flows leaving an exclusive gateway`);
    }
  }
  if ((node.kind === 'parallelGateway' || node.kind === 'exclusiveGateway') && node.outgoing.length === 0) {
    add('connections', node, 'a gateway needs at least one outgoing sequence flow');
  }
}

function checkExclusive(gateway: Node, add: (rule: RuleName, node: Node, message: string) => void): void {
  if (gateway.outgoing.length < 2) return;
  if (isDecidedByAgent(gateway)) {
    const names = new Set<string>();
    for (const flow of gateway.outgoing) {
      if (!flow.name || !flow.name.trim()) add('gateway-flows', gateway, `flow ${flow.id} has no name; the agent picks an outgoing flow by its name (e.g. Ya / Tidak)`);
      else if (names.has(flow.name)) add('gateway-flows', gateway, `two outgoing flows are both named '${flow.name}'; the agent could not tell them apart`);
      else names.add(flow.name);
    }
    return;
  }
  for (const flow of gateway.outgoing) {
    if (!flow.hasCondition && flow !== gateway.defaultFlow) {
      add('gateway-flows', gateway, `flow ${flow.id} has neither a condition nor is it the default; a condition-decided gateway needs one or the other on every outgoing flow`);
    }
  }
}

/** The modules' flow contracts (FlowContracts.Check): what a flow of its cc:flowKind must declare in cc:purpose. */
function contractStage(model: Model): Finding[] {
  const findings: Finding[] = [];
  const add = (id: string, message: string) => findings.push({ rule: 'flow-contract', id, message });
  // The nodes were read in document order, the order of the server's lines.
  const byLine = [...model.nodes.values()];
  for (const node of byLine) {
    for (const purpose of node.purposes.filter(p => !KNOWN_PURPOSES.includes(p))) {
      add(node.id, `cc:purpose '${purpose}' is not a purpose the product knows (${KNOWN_PURPOSES.join(', ')})`);
    }
  }
  const kind = model.flowKind;
  if (kind === null) return findings;
  const rules = FLOW_CONTRACTS[kind];
  if (!rules) {
    add(model.key, `cc:flowKind '${kind}' is not a kind of flow the product knows (${Object.keys(FLOW_CONTRACTS).join(', ')})`);
    return findings;
  }
  for (const rule of rules) {
    const nodes = byLine.filter(n => n.purposes.includes(rule.purpose));
    if (nodes.length === 0 && rule.required) add(model.key, `no step has cc:purpose ${rule.purpose}, which a ${kind} flow must have: ${rule.dependsOnIt} needs it`);
    if (nodes.length > 1 && rule.onlyOnce) {
      add(nodes[1].id, `cc:purpose ${rule.purpose} is on ${nodes.length} steps (${nodes.map(n => n.id).join(', ')}); a ${kind} flow has it once: ${rule.dependsOnIt} needs to know which`);
    }
    for (const node of nodes.filter(n => rule.kinds.length > 0 && !rule.kinds.includes(n.kind))) {
      add(node.id, `cc:purpose ${rule.purpose} belongs on ${rule.kinds.join(' or ')}, not ${node.kind}: ${rule.dependsOnIt} needs it there`);
    }
  }
  if (kind === 'ticket') {
    for (const decision of byLine.filter(n => n.purposes.includes('tier2-decision') && n.kind === 'exclusiveGateway')) {
      const toDispatch = decision.outgoing.filter(f => f.target.purposes.includes('dispatch')).length;
      if (toDispatch !== 1 || decision.outgoing.length < 2) {
        add(decision.id, "cc:purpose tier2-decision needs one outcome leading straight to the dispatch step and another that does not: the ticket desk's dispatch picks the first, its close the other");
      }
    }
  }
  return findings;
}

/** The catalogue's check for a valid draft: every called definition was published at least once. */
function catalogueStage(model: Model, published: string[]): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const node of model.nodes.values()) {
    if (node.kind !== 'callActivity') continue;
    const called = String(node.el.calledElement);
    if (seen.has(called)) continue;
    seen.add(called);
    if (called !== model.key && !published.includes(called)) {
      findings.push({ rule: 'called-element', id: node.id, message: `calledElement '${called}' has no published version in the catalogue` });
    }
  }
  return findings;
}
