// The bpmn-io packages the designer uses ship no TypeScript declarations.
declare module 'bpmn-js-properties-panel' {
  export const BpmnPropertiesPanelModule: unknown;
  export const BpmnPropertiesProviderModule: unknown;
  export function useService<T = any>(name: string): T; // eslint-disable-line @typescript-eslint/no-explicit-any
}
declare module '@bpmn-io/properties-panel' {
  /* eslint-disable @typescript-eslint/no-explicit-any */
  export const TextFieldEntry: any;
  export const TextAreaEntry: any;
  export const SelectEntry: any;
  export function isSelectEntryEdited(node: any): boolean;
  export const Group: any;
  export function isTextFieldEntryEdited(node: any): boolean;
  export function isTextAreaEntryEdited(node: any): boolean;
}
declare module 'bpmn-js-bpmnlint' {
  const module: unknown;
  export default module;
}
declare module 'bpmn-js-differ' {
  export function diff(a: unknown, b: unknown): {
    _added: Record<string, unknown>; _removed: Record<string, unknown>;
    _changed: Record<string, { model: unknown; attrs: Record<string, { oldValue: unknown; newValue: unknown }> }>;
    _layoutChanged: Record<string, unknown>;
  };
}
