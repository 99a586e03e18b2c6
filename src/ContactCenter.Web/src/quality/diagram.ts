// A read-only bpmn-js viewer for QC: the path a history took (elements entered and sequence flows
// taken) as markers, visit counts as overlay badges, and the position at the current step. Its
// own wrapper (not ../diagram.ts) because it needs overlays; loaded lazily with bpmn-js.
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { api } from '../api';
import { h } from '../dom';

interface Canvas {
  zoom(level?: string | number): number;
  addMarker(element: string, marker: string): void;
  removeMarker(element: string, marker: string): void;
  resized(): void;
  scrollToElement(element: unknown, padding?: number): void;
  viewbox(box?: { x: number; y: number; width: number; height: number }): { x: number; y: number; width: number; height: number; inner: { x: number; y: number; width: number; height: number }; outer: { width: number; height: number } };
}
interface Registry { get(id: string): unknown }
interface Overlays { add(element: string, type: string, overlay: { position: { top?: number; right?: number; left?: number; bottom?: number }; html: HTMLElement }): string; remove(filter: { type: string }): void }

const minReadableZoom = 0.62;

export interface PathMarks {
  /** Elements entered, with how often (the whole history). */
  visits: Map<string, number>;
  /** Sequence flows taken. */
  flows: Set<string>;
}

export class PathDiagram {
  private readonly viewer: NavigatedViewer;
  private readonly xml = new Map<string, string>();
  private loaded: string | null = null;
  private position: string[] = [];

  constructor(private readonly container: HTMLElement, private readonly countTitle: (n: number) => string) {
    this.viewer = new NavigatedViewer({ container });
  }

  get shown(): string | null { return this.loaded; }

  /** Shows a definition version with its path and counts; a no-op when it is already shown. */
  async show(key: string, version: number, path: PathMarks): Promise<void> {
    const wanted = `${key}@${version}`;
    if (this.loaded === wanted) return;
    let xml = this.xml.get(wanted);
    if (xml === undefined) {
      xml = await api.bpmn(key, version);
      this.xml.set(wanted, xml);
    }
    await this.viewer.importXML(xml);
    this.loaded = wanted;
    this.position = [];
    const canvas = this.canvas();
    const registry = this.registry();
    const overlays = this.viewer.get<Overlays>('overlays');
    for (const [id, count] of path.visits) {
      if (!registry.get(id)) continue;
      canvas.addMarker(id, 'qc-visited');
      overlays.add(id, 'qc-count', {
        position: { top: -11, right: 11 },
        html: h('span.qc-count', { 'data-element': id, 'data-count': String(count), title: this.countTitle(count) }, String(count)),
      });
    }
    for (const id of path.flows) {
      if (registry.get(id)) canvas.addMarker(id, 'qc-taken');
    }
    // A wide flow fitted into the panel is too small to read: keep a readable zoom and follow the step instead.
    this.frame(minReadableZoom);
  }

  /** Marks where the tokens stand and the element of the current event, and brings it (or the fallback element) into view. */
  mark(tokens: string[], eventElement: string | null, fallback: string | null = null): void {
    if (!this.loaded) return;
    const canvas = this.canvas();
    const registry = this.registry();
    for (const id of this.position) {
      canvas.removeMarker(id, 'cc-current');
      canvas.removeMarker(id, 'qc-event');
    }
    const now = tokens.filter(id => registry.get(id));
    const event = eventElement && registry.get(eventElement) ? eventElement : null;
    for (const id of now) canvas.addMarker(id, 'cc-current');
    if (event) canvas.addMarker(event, 'qc-event');
    this.position = [...now, ...(event ? [event] : [])];
    this.container.dataset.current = now.join(' ');
    this.container.dataset.event = event ?? '';
    const focus = event ?? now[0] ?? (fallback && registry.get(fallback) ? fallback : undefined);
    if (focus) this.reveal(focus);
  }

  /** The whole flow in the panel, however small. */
  fit(): void {
    this.frame(0);
  }

  /** Fits the flow, but not below <code>minZoom</code> (then left-aligned), centred vertically. */
  private frame(minZoom: number): void {
    const canvas = this.canvas();
    canvas.resized();
    const box = canvas.viewbox();
    const pad = 24;
    const inner = box.inner;
    const fit = Math.min(box.outer.width / (inner.width + 2 * pad), box.outer.height / (inner.height + 2 * pad));
    const zoom = Math.max(minZoom, Math.min(1, fit));
    const width = box.outer.width / zoom;
    const height = box.outer.height / zoom;
    canvas.viewbox({
      x: inner.x - pad - Math.max(0, (width - inner.width - 2 * pad) / 2),
      y: inner.y + inner.height / 2 - height / 2,
      width,
      height,
    });
  }

  destroy(): void {
    this.viewer.destroy();
  }

  /** Scrolls the element into view only when it is outside it, so stepping does not make the diagram jump. */
  private reveal(id: string): void {
    const canvas = this.canvas();
    const element = this.registry().get(id) as { x?: number; y?: number; width?: number; height?: number; waypoints?: unknown } | undefined;
    if (!element || element.x === undefined || element.y === undefined) return;
    const box = canvas.viewbox();
    const inside = element.x >= box.x && element.y >= box.y && element.x + (element.width ?? 0) <= box.x + box.width && element.y + (element.height ?? 0) <= box.y + box.height;
    if (!inside) canvas.scrollToElement(element, 80);
  }

  private canvas(): Canvas { return this.viewer.get<Canvas>('canvas'); }
  private registry(): Registry { return this.viewer.get<Registry>('elementRegistry'); }
}
