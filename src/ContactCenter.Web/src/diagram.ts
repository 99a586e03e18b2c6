// The flow's diagram with bpmn-js's NavigatedViewer (pan and zoom, no editing), loaded lazily so
// that screens without a diagram never download bpmn-js.
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { api } from './api';

interface Canvas {
  zoom(level: string | number): number;
  addMarker(element: string, marker: string): void;
  removeMarker(element: string, marker: string): void;
  resized(): void;
  scrollToElement(element: unknown, padding?: number): void;
}

interface Registry { get(id: string): unknown }

export class FlowDiagram {
  private readonly viewer: NavigatedViewer;
  private loaded: string | null = null;
  private marked: string[] = [];
  private calls = 0;
  private drawing: Promise<unknown> = Promise.resolve();

  constructor(container: HTMLElement) {
    this.viewer = new NavigatedViewer({ container });
  }

  /**
   * Shows a definition version (fetched once per key and version) with the given elements highlighted.
   * Resolves to false when a later call superseded this one before it was drawn.
   */
  show(key: string, version: number, current: string[]): Promise<boolean> {
    // Calls are drawn one at a time, and one that a later call overtook while it waited is skipped:
    // two imports at once break the viewer, and a first import finishing last would put back the
    // highlight of a step already done.
    const call = ++this.calls;
    const drawn = this.drawing.then(async () => {
      if (call !== this.calls) return false;
      await this.draw(key, version, current);
      return true;
    });
    this.drawing = drawn.catch(() => false);
    return drawn;
  }

  private async draw(key: string, version: number, current: string[]): Promise<void> {
    const wanted = `${key}@${version}`;
    if (this.loaded !== wanted) {
      const xml = await api.bpmn(key, version);
      await this.viewer.importXML(xml);
      this.loaded = wanted;
      this.marked = [];
      // A whole flow fitted into the panel is too small to read: show it at a readable zoom and
      // bring the current position into view instead.
      this.canvas().zoom(0.85);
    }
    const canvas = this.canvas();
    const registry = this.viewer.get<Registry>('elementRegistry');
    for (const id of this.marked) canvas.removeMarker(id, 'cc-current');
    this.marked = current.filter(id => registry.get(id));
    for (const id of this.marked) canvas.addMarker(id, 'cc-current');
    if (this.marked.length > 0) {
      canvas.scrollToElement(registry.get(this.marked[0]), 120);
    }
  }

  fit(): void {
    const canvas = this.canvas();
    canvas.resized();
    canvas.zoom('fit-viewport');
  }

  destroy(): void {
    this.viewer.destroy();
  }

  private canvas(): Canvas {
    return this.viewer.get<Canvas>('canvas');
  }
}
