// The definition catalogue's API as the designer uses it (docs/server.md, "Routes and roles").
import { ApiError, http } from '../api';

export type VersionStatus = 'Draft' | 'InReview' | 'Approved' | 'Published' | 'Retired';

export interface VersionView {
  key: string; version: number; status: VersionStatus; name: string; contentHash: string; documentCode: string | null;
  revision: string | null; effectiveFrom: string | null; inEffect: boolean; maker: string; checker: string | null;
  approver: string | null; changeNote: string | null; createdAt: string; submittedAt: string | null; checkedAt: string | null;
  approvedAt: string | null; publishedAt: string | null; retiredAt: string | null;
}

export interface DefinitionSummary { key: string; name: string; versionInEffect: number | null; versions: VersionView[] }

export interface Problem { elementId: string | null; line: number; message: string; text?: string }

export interface Verdict { valid: boolean; key: string | null; problems: Problem[] }

export interface DiffChange { name: string; from: string | null; to: string | null }
export interface DiffElement { id: string; kind: string; name: string | null }
export interface ChangedElement extends DiffElement { changes: DiffChange[] }
export interface DiffSection { added: DiffElement[]; removed: DiffElement[]; changed: ChangedElement[] }
export interface DefinitionDiff { key: string; from: number; to: number; elements: DiffSection; flows: DiffSection; layoutChanged: boolean }

/** A 422 of a draft: every problem of the BPMN, with element and line. */
export class InvalidBpmnError extends ApiError {
  constructor(detail: string | null, readonly problems: Problem[]) { super(422, 'Invalid BPMN', detail); }
}

const { enc } = http;
const base = (key: string, version: number) => `/api/definitions/${enc(key)}/versions/${version}`;

/** XML in, JSON out (http's helpers speak JSON only). */
async function postXml<T>(path: string, xml: string): Promise<T> {
  const response = await fetch(path, {
    method: 'POST', credentials: 'same-origin', body: xml,
    headers: { Accept: 'application/json', 'Content-Type': 'application/xml' },
  });
  const text = await response.text();
  const json = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  if (response.status === 401) {
    // Let the app's own handler send the user to sign-in.
    await http.get('/api/auth/me');
  }
  if (response.status === 422 && Array.isArray(json.problems)) throw new InvalidBpmnError((json.detail as string) ?? null, json.problems as Problem[]);
  if (!response.ok) {
    throw new ApiError(response.status, (json.title as string) ?? response.statusText, (json.detail as string) ?? null, (json.errors as Record<string, string[]>) ?? {});
  }
  return json as T;
}

export const definitions = {
  list: () => http.get<DefinitionSummary[]>('/api/definitions'),
  key: (key: string) => http.get<DefinitionSummary>(`/api/definitions/${enc(key)}`),
  bpmn: async (key: string, version: number): Promise<string> => {
    const response = await fetch(`${base(key, version)}/bpmn`, { credentials: 'same-origin' });
    if (!response.ok) throw new ApiError(response.status, response.statusText, null);
    return response.text();
  },
  bpmnUrl: (key: string, version: number) => `${base(key, version)}/bpmn`,
  createDraft: (xml: string, changeNote: string) => postXml<VersionView>(`/api/definitions?changeNote=${enc(changeNote)}`, xml),
  validate: (xml: string) => postXml<Verdict>('/api/definitions/validate', xml),
  submit: (key: string, version: number) => http.post<VersionView>(`${base(key, version)}/submit`),
  check: (key: string, version: number) => http.post<VersionView>(`${base(key, version)}/check`),
  returnToDraft: (key: string, version: number, note: string) => http.post<VersionView>(`${base(key, version)}/return`, { note }),
  approve: (key: string, version: number) => http.post<VersionView>(`${base(key, version)}/approve`),
  publish: (key: string, version: number, effectiveFrom: string) => http.post<VersionView>(`${base(key, version)}/publish`, { effectiveFrom }),
  retire: (key: string, version: number) => http.post<VersionView>(`${base(key, version)}/retire`),
  diff: (key: string, from: number, to: number) => http.get<DefinitionDiff>(`/api/definitions/${enc(key)}/diff?from=${from}&to=${to}`),
};
