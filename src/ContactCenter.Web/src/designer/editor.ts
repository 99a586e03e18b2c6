// The editing canvas: bpmn-js Modeler with the properties panel (our cc: provider), bpmnlint with
// our rules on the canvas, and the server's problems marked on their elements. Loaded lazily by
// the designer screen, so no other screen downloads the modeler.
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import 'bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css';
import Modeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from 'bpmn-js-properties-panel';
import lintModule from 'bpmn-js-bpmnlint';
import { h } from '../dom';
import { ccModdle } from './cc-moddle';
import { markPath, readableZoom } from './viewer';
import { flattenIssues, linterConfig, type LintIssue } from './lint';
import { CcPropertiesProviderModule } from './properties';
import type { Problem } from './api';

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface EditorOptions {
  published: () => string[] | null;
  /** Every lint result, with the number of the document it is about (1 = the first one opened). */
  onLint: (issues: LintIssue[], document: number) => void;
  onChange: () => void;
}

export class DesignEditor {
  private readonly modeler: Modeler;
  private problemOverlays: string[] = [];
  private problemMarks: string[] = [];
  private documents = 0;

  constructor(canvas: HTMLElement, panel: HTMLElement, options: EditorOptions) {
    this.modeler = new Modeler({
      container: canvas,
      // Our groups open by default: they are what a process owner edits most.
      propertiesPanel: { parent: panel, layout: { groups: { general: { open: true }, cc: { open: true }, 'cc-timer': { open: true }, 'cc-condition': { open: true } } } },
      linting: { bpmnlint: linterConfig(options.published), active: true },
      additionalModules: [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, CcPropertiesProviderModule, lintModule],
      moddleExtensions: { cc: ccModdle },
    } as any);
    // Before the linter's own import.done handler (priority 500): a lint completing after this is
    // about the new document, as bpmn-js-bpmnlint drops the results of runs it has superseded.
    this.get('eventBus').on('import.done', 1500, () => { this.documents++; });
    this.get('eventBus').on('linting.completed', (event: { issues: Record<string, any[]> }) => options.onLint(flattenIssues(event.issues), this.documents));
    this.get('eventBus').on('commandStack.changed', () => options.onChange());
  }

  private get<T = any>(name: string): T {
    return this.modeler.get<T>(name);
  }

  /** Opens a document; import warnings (unknown elements, unresolved references) are returned. */
  async open(xml: string): Promise<string[]> {
    this.clearProblems();
    const result = await this.modeler.importXML(xml);
    readableZoom(this.get('canvas'));
    return (result.warnings ?? []).map((warning: any) => String(warning.message ?? warning));
  }

  async xml(): Promise<string> {
    const { xml } = await this.modeler.saveXML({ format: true });
    return xml ?? '';
  }

  /** Re-runs the lint (e.g. once the published keys are known). */
  relint(): void {
    this.get('linting').update();
  }

  canUndo(): boolean { return this.get('commandStack').canUndo(); }
  canRedo(): boolean { return this.get('commandStack').canRedo(); }
  undo(): void { this.get('commandStack').undo(); }
  redo(): void { this.get('commandStack').redo(); }

  fit(): void {
    const canvas = this.get('canvas');
    canvas.resized();
    canvas.zoom('fit-viewport');
  }

  /** Selects an element and brings it into view (from a list of issues). */
  focus(elementId: string): boolean {
    const element = this.get('elementRegistry').get(elementId);
    if (!element) return false;
    this.get('selection').select(element);
    this.get('canvas').scrollToElement(element, 120);
    return true;
  }

  /** The server's problems on their elements: a red outline and a badge with the count and messages. */
  markProblems(problems: Problem[]): void {
    this.clearProblems();
    const registry = this.get('elementRegistry');
    const overlays = this.get('overlays');
    const canvas = this.get('canvas');
    const byElement = new Map<string, Problem[]>();
    for (const problem of problems) {
      if (problem.elementId && registry.get(problem.elementId)) {
        byElement.set(problem.elementId, [...(byElement.get(problem.elementId) ?? []), problem]);
      }
    }
    for (const [id, list] of byElement) {
      canvas.addMarker(id, 'cc-server-problem');
      this.problemMarks.push(id);
      const badge = h('div.cc-server-badge', { 'data-element': id, title: list.map(p => `${p.line}: ${p.message}`).join('\n') }, `! ${list.length}`);
      this.problemOverlays.push(overlays.add(id, 'cc-server', { position: { bottom: 8, left: -8 }, html: badge }));
    }
  }

  private pathMarks: string[] = [];

  /** Highlights a sample's path (elements and flows), replacing the one shown before. */
  showPath(ids: string[]): void {
    this.pathMarks = markPath(this.get('canvas'), this.get('elementRegistry'), this.pathMarks, ids);
  }

  clearProblems(): void {
    const overlays = this.get('overlays');
    const canvas = this.get('canvas');
    for (const id of this.problemOverlays) overlays.remove(id);
    for (const id of this.problemMarks) if (this.get('elementRegistry').get(id)) canvas.removeMarker(id, 'cc-server-problem');
    this.problemOverlays = [];
    this.problemMarks = [];
  }

  destroy(): void {
    this.modeler.destroy();
  }
}
