// Read-only diagrams of the designer: a version that is not a draft (NavigatedViewer, with the
// selected element's details), and the two sides of a version comparison coloured by
// bpmn-js-differ. Both read our cc: attributes through the same moddle descriptor.
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { diff } from 'bpmn-js-differ';
import { CC_ATTRIBUTES, ccModdle } from './cc-moddle';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** What the details panel shows of an element: label and value rows, texts exactly as written. */
export function describeElement(bo: any): [string, string][] {
  const rows: [string, string][] = [['type', String(bo.$type).replace('bpmn:', '')], ['id', bo.id]];
  if (bo.name) rows.push(['name', bo.name]);
  for (const name of CC_ATTRIBUTES) {
    const value = bo.get?.(`cc:${name}`);
    if (value !== undefined && value !== null) rows.push([`cc:${name}`, String(value)]);
  }
  for (const definition of bo.eventDefinitions ?? []) {
    rows.push(['event', String(definition.$type).replace('bpmn:', '')]);
    if (definition.timeDuration?.body) rows.push(['timeDuration', definition.timeDuration.body]);
    if (definition.messageRef) rows.push(['messageRef', definition.messageRef.name ?? definition.messageRef.id]);
    if (definition.$type === 'bpmn:LinkEventDefinition' && definition.name) rows.push(['link', definition.name]);
  }
  if (bo.conditionExpression?.body) rows.push(['condition', bo.conditionExpression.body]);
  if (bo.calledElement) rows.push(['calledElement', bo.calledElement]);
  if (bo.sourceRef && bo.targetRef) rows.push(['flow', `${bo.sourceRef.id} → ${bo.targetRef.id}`]);
  for (const doc of bo.documentation ?? []) if (doc.text) rows.push(['documentation', doc.text]);
  return rows;
}

/**
 * A whole flow fitted into a pane is too small to read (the WhatsApp flow is 14 times wider than
 * high): when fitting would shrink it below 75 %, show it at 85 % from its top-left corner instead.
 */
/** The marker of a sample's path on the diagram (the samples panel). */
export const SAMPLE_PATH = 'cc-sample-path';

/** Marks <ids> (those on the diagram) with the sample-path marker, unmarking <marked>; returns what is marked now. */
export function markPath(canvas: any, registry: any, marked: string[], ids: string[]): string[] {
  for (const id of marked) if (registry.get(id)) canvas.removeMarker(id, SAMPLE_PATH);
  const now = ids.filter(id => registry.get(id));
  for (const id of now) canvas.addMarker(id, SAMPLE_PATH);
  return now;
}

export function readableZoom(canvas: any): void {
  canvas.resized();
  const fitted = canvas.zoom('fit-viewport');
  if (fitted >= 0.75) return;
  canvas.zoom(0.85);
  const box = canvas.viewbox();
  canvas.viewbox({ x: box.inner.x - 40, y: box.inner.y - 40, width: box.width, height: box.height });
}

export class ReadOnlyDiagram {
  readonly viewer: NavigatedViewer;

  constructor(container: HTMLElement, onSelect?: (bo: any | null) => void) {
    this.viewer = new NavigatedViewer({ container, moddleExtensions: { cc: ccModdle } } as any);
    if (onSelect) {
      this.get('eventBus').on('element.click', (event: { element: any }) => {
        const element = event.element;
        onSelect(element?.parent ? element.businessObject : null);
      });
    }
  }

  get<T = any>(name: string): T {
    return this.viewer.get<T>(name);
  }

  async open(xml: string): Promise<void> {
    await this.viewer.importXML(xml);
    readableZoom(this.get('canvas'));
  }

  /** Centres an element at a readable zoom. */
  showAt(id: string): void {
    const element = this.get('elementRegistry').get(id);
    if (!element) return;
    const canvas = this.get('canvas');
    canvas.zoom(0.9);
    canvas.scrollToElement(element, { top: 120, bottom: 120, left: 300, right: 300 });
  }

  definitions(): any {
    return this.viewer.getDefinitions();
  }

  fit(): void {
    const canvas = this.get('canvas');
    canvas.resized();
    canvas.zoom('fit-viewport');
  }

  has(id: string): boolean {
    return !!this.get('elementRegistry').get(id);
  }

  private pathMarks: string[] = [];

  /** Highlights a sample's path (elements and flows), replacing the one shown before. */
  showPath(ids: string[]): void {
    this.pathMarks = markPath(this.get('canvas'), this.get('elementRegistry'), this.pathMarks, ids);
  }

  mark(id: string, marker: string): boolean {
    if (!this.has(id)) return false;
    this.get('canvas').addMarker(id, marker);
    return true;
  }

  focus(id: string): void {
    const element = this.get('elementRegistry').get(id);
    if (!element) return;
    this.get('selection').select(element);
    this.get('canvas').scrollToElement(element, 120);
  }

  destroy(): void {
    this.viewer.destroy();
  }
}

export interface DiagramDiff { added: string[]; removed: string[]; changed: string[]; layout: string[] }

/**
 * Colours the two sides of a comparison: added (right), removed (left), changed and layout-only
 * (both). Process-level changes are shown on the participant that shows the process.
 */
export function colourDiff(left: ReadOnlyDiagram, right: ReadOnlyDiagram): DiagramDiff {
  const result = diff(left.definitions(), right.definitions());
  const added = Object.keys(result._added);
  const removed = Object.keys(result._removed);
  const changed = Object.keys(result._changed);
  const layout = Object.keys(result._layoutChanged).filter(id => !changed.includes(id) && !added.includes(id) && !removed.includes(id));
  for (const id of added) right.mark(id, 'cc-diff-added');
  for (const id of removed) left.mark(id, 'cc-diff-removed');
  for (const id of changed) { left.mark(id, 'cc-diff-changed'); right.mark(id, 'cc-diff-changed'); }
  for (const id of layout) { left.mark(id, 'cc-diff-layout'); right.mark(id, 'cc-diff-layout'); }
  return { added, removed, changed, layout };
}

/** Keeps two diagrams' viewports together: panning or zooming one moves the other. */
export function syncViewports(a: ReadOnlyDiagram, b: ReadOnlyDiagram): void {
  let syncing = false;
  const follow = (from: ReadOnlyDiagram, to: ReadOnlyDiagram) => {
    from.get('eventBus').on('canvas.viewbox.changed', (event: { viewbox: { x: number; y: number; width: number; height: number } }) => {
      if (syncing) return;
      syncing = true;
      try {
        const { x, y, width, height } = event.viewbox;
        to.get('canvas').viewbox({ x, y, width, height });
      } finally {
        syncing = false;
      }
    });
  };
  follow(a, b);
  follow(b, a);
}
