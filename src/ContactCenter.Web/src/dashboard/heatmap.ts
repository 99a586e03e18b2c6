// A flow's diagram (bpmn-js NavigatedViewer) coloured by how often each element ran: five heat
// classes on a sequential scale, a grey class for what never ran, sequence flows drawn thicker
// the more they were taken, and the count as an overlay badge on every element that ran.
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { api } from '../api';
import type { VersionCounts } from './api';

interface Canvas { viewbox(): { inner: { width: number; height: number } }; zoom(level: string | number): number; addMarker(element: unknown, marker: string): void; removeMarker(element: unknown, marker: string): void; resized(): void }
interface Shape { id: string; type: string; waypoints?: unknown }
interface Registry { getAll(): Shape[] }
interface Overlays { add(element: string, type: string, overlay: { position: Record<string, number>; html: HTMLElement }): string; remove(filter: { type: string }): void }

/** The number of heat classes (heat-1 … heat-5); heat-0 is "never ran". */
export const HeatLevels = 5;

/** The heat class of a count against the flow's largest count: 0 for none, else 1 … 5 in equal fifths. */
export function heatLevel(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0;
  return Math.min(HeatLevels, Math.max(1, Math.ceil((count / max) * HeatLevels)));
}

const flowNode = /(Task|Event|Gateway|SubProcess|CallActivity)$/;
const markers = Array.from({ length: HeatLevels + 1 }, (_, i) => `heat-${i}`);

export class HeatmapDiagram {
  private readonly viewer: NavigatedViewer;
  private loaded: string | null = null;
  private marked: Shape[] = [];

  constructor(private readonly container: HTMLElement) {
    this.viewer = new NavigatedViewer({ container });
  }

  /**
   * Draws <paramref name="key"/> v<paramref name="version"/> (fetched once) coloured by <paramref name="counts"/>.
   * @param describe the badge's tooltip for an element's count
   */
  async show(key: string, version: number, counts: VersionCounts | null, describe: (entered: number, instances: number) => string): Promise<{ max: number }> {
    const wanted = `${key}@${version}`;
    if (this.loaded !== wanted) {
      const xml = await api.bpmn(key, version);
      await this.viewer.importXML(xml);
      this.loaded = wanted;
      this.marked = [];
      this.fit();
    }
    const canvas = this.viewer.get<Canvas>('canvas');
    const registry = this.viewer.get<Registry>('elementRegistry');
    const overlays = this.viewer.get<Overlays>('overlays');
    for (const shape of this.marked) for (const m of markers) canvas.removeMarker(shape, m);
    overlays.remove({ type: 'cc-heat' });

    const entered = new Map((counts?.elements ?? []).map(e => [e.elementId, e]));
    const taken = new Map((counts?.flows ?? []).map(f => [f.flowId, f.taken]));
    const max = Math.max(0, ...(counts?.elements ?? []).map(e => e.entered));
    const maxFlow = Math.max(0, ...taken.values());
    this.marked = [];
    for (const shape of registry.getAll()) {
      if (shape.type === 'bpmn:SequenceFlow') {
        const n = taken.get(shape.id) ?? 0;
        canvas.addMarker(shape, `heat-${heatLevel(n, maxFlow)}`);
        this.marked.push(shape);
      } else if (flowNode.test(shape.type) && !shape.waypoints) {
        const count = entered.get(shape.id);
        canvas.addMarker(shape, `heat-${heatLevel(count?.entered ?? 0, max)}`);
        this.marked.push(shape);
        if (count && count.entered > 0) {
          const badge = document.createElement('span');
          badge.className = `heat-badge heat-badge-${heatLevel(count.entered, max)}`;
          badge.dataset.element = shape.id;
          badge.dataset.testid = 'heat-badge';
          badge.textContent = String(count.entered);
          badge.title = describe(count.entered, count.instances);
          overlays.add(shape.id, 'cc-heat', { position: { top: -11, right: 14 }, html: badge });
        }
      }
    }
    return { max };
  }

  /**
   * Fits the whole flow into the panel's width, with the panel as tall as the flow needs at that
   * scale (between 200 and 640 px), so that a long, flat flow leaves no empty band below it.
   */
  fit(): void {
    const canvas = this.viewer.get<Canvas>('canvas');
    const { width, height } = canvas.viewbox().inner;
    if (width > 0 && this.container.clientWidth > 0) {
      const wanted = (this.container.clientWidth - 24) * (height / width) + 40;
      this.container.style.height = `${Math.round(Math.min(640, Math.max(200, wanted)))}px`;
    }
    canvas.resized();
    canvas.zoom('fit-viewport');
  }

  destroy(): void {
    this.viewer.destroy();
  }
}
