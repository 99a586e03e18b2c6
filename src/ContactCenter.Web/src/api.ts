// The server's API as the app uses it: same origin, the sign-in cookie, JSON in and out, RFC 7807
// problems as ApiError.

export interface Me { userName: string; displayName: string; roles: string[]; unit: string | null }

export type InstanceStatus = 'Running' | 'Completed' | 'Cancelled' | 'Faulted';

export interface TaskView {
  id: number; elementId: string; definitionKey: string; name: string | null; lane: string | null;
  step: string | null; script: string | null; outcomes: string[]; fields: string[]; createdAt: string;
  /** The role that works the task (its lane's cc:performer). */
  performer?: string;
  /** At a decision, the fields an outcome requires (the complaint's "Ya": kategori, prioritas, deskripsi). */
  outcomeFields?: Record<string, string[]>;
  /** What the step means to the product (its cc:purpose names, e.g. tier2-decision): decide by these, never by element id. */
  purposes?: string[];
  /** The values a field may take where it is a choice (the documentation step's contact category, OOT Ya / Tidak). */
  fieldChoices?: Record<string, string[]>;
}

/** A help request of §5.3 (agent → Team Leader or Tier 2) and, once given, its answer. */
export interface HelpRequest {
  id: string; instanceId: string; to: 'TeamLeader' | 'Tier2'; text: string; requestedBy: string | null; requestedAt: string;
  answer: string | null; answeredBy: string | null; answeredAt: string | null; channel?: string | null; customerRef?: string | null;
}

export interface TimerView { id: number; elementId: string; definitionKey: string; name: string | null; dueAt: string; slaPolicy: string | null; dueInMs: number }

export interface InstanceSummary {
  id: string; definitionKey: string; definitionVersion: number; channel: string; customerRef: string | null;
  agent: string | null; status: InstanceStatus; version: number; startedAt: string; updatedAt: string; endedAt: string | null;
  parentInstanceId: string | null;
}

export interface InstanceView extends InstanceSummary {
  endReason: string | null; pinnedVersions: Record<string, number>; tasks: TaskView[]; timers: TimerView[];
  variables: Record<string, unknown>;
}

export interface JournalEvent { type: string; sequence: number; at: string; actor: string | null; [field: string]: unknown }
/** A line of what was said, as the server projects it from the journal (one projection for the console and QC's replay). */
export interface ConversationLine { sequence: number; kind: 'customer' | 'agent' | 'prompt'; text: string; at: string; step: string | null }
export interface ConversationView { lastSequence: number; lines: ConversationLine[] }

export interface SlaSnapshot {
  at: string; status: 'OnTrack' | 'AtRisk' | 'Breached'; remaining: string; firstResponseDue: string | null;
  warningDue: string | null; breachDue: string | null; isPaused: boolean; isExtended: boolean;
}

export interface TicketSla { policy: string; start: string; snapshot: SlaSnapshot; pauses: { from: string; to: string | null }[]; extension: { grantedAt: string; reason: string } | null }

export interface WorkItem { id: number; elementId: string; name: string | null; lane: string | null; step: string | null; script: string | null; outcomes: string[]; fields: string[]; createdAt: string }

export interface TicketSummary {
  id: string; status: InstanceStatus; category: string | null; priority: string | null; description: string | null;
  customerRef: string | null; sourceChannel: string | null; conversationId: string | null; unit: string | null;
  currentTask: WorkItem | null; queue: 'Tier2' | 'RelatedTeam' | null; openedAt: string; closedAt: string | null; sla: TicketSla | null;
}

export interface TicketNote { sequence: number; at: string; author: string | null; text: string; source: string }

export interface TicketView { ticket: TicketSummary; version: number; tasks: TaskView[]; notes: TicketNote[] }

/** A notice to staff (an SLA alert, a dispatched ticket, a reservation request), kept until someone acknowledges it. */
export interface NotificationView {
  id: string; kind: string; title: string; text: string; instanceId: string; reference: string | null;
  createdAt: string; acknowledgedBy: string | null; acknowledgedAt: string | null;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly title: string, readonly detail: string | null, readonly errors: Record<string, string[]> = {}) {
    super(detail ?? title);
  }
}

/** A JSON body already as text (a file the user chose), sent as it is so the server's errors name its own lines. */
export class JsonText {
  constructor(readonly text: string) {}
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : body instanceof JsonText ? body.text : JSON.stringify(body),
  });
  if (response.status === 401 && !path.startsWith('/api/auth/login')) {
    unauthorized();
  }
  const text = await response.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const problem = (json ?? {}) as { title?: string; detail?: string; errors?: Record<string, string[]> };
    throw new ApiError(response.status, problem.title ?? response.statusText, problem.detail ?? null, problem.errors ?? {});
  }
  return json as T;
}

let onUnauthorized: () => void = () => {};
function unauthorized(): void { onUnauthorized(); }
export function whenUnauthorized(handler: () => void): void { onUnauthorized = handler; }

const get = <T>(path: string) => request<T>('GET', path);
const post = <T>(path: string, body: unknown = {}) => request<T>('POST', path, body);
const enc = encodeURIComponent;

/** The same requests for a screen's own API module (problems as ApiError, 401 back to sign-in). */
export const http = { get, post, request, enc };

export const api = {
  login: (userName: string, password: string) => post<void>('/api/auth/login?useCookies=true', { userName, password }),
  logout: () => post<void>('/api/auth/logout'),
  me: () => get<Me>('/api/auth/me'),

  notifications: () => get<NotificationView[]>('/api/notifications'),
  acknowledge: (id: string) => post<NotificationView>(`/api/notifications/${enc(id)}/acknowledge`),

  instances: (filter: { status?: string; channel?: string; agent?: string }) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filter)) if (v) q.set(k, v);
    q.set('limit', '200');
    return get<InstanceSummary[]>(`/api/instances?${q}`);
  },
  instance: (id: string) => get<InstanceView>(`/api/instances/${enc(id)}`),
  journal: (id: string) => get<JournalEvent[]>(`/api/instances/${enc(id)}/journal`),
  conversation: (id: string) => get<ConversationView>(`/api/instances/${enc(id)}/conversation`),
  start: (channel: string, customerRef: string) => post<InstanceView>('/api/instances', { channel, customerRef }),
  complete: (id: string, taskId: number, outcome: string | null, data: Record<string, string> | null, expectedVersion: number) =>
    post<InstanceView>(`/api/instances/${enc(id)}/tasks/${taskId}/complete`, { outcome, data, expectedVersion }),
  help: (id: string) => get<HelpRequest[]>(`/api/instances/${enc(id)}/help`),
  askHelp: (id: string, to: string, text: string) => post<HelpRequest>(`/api/instances/${enc(id)}/help`, { to, text }),
  openHelp: () => get<HelpRequest[]>('/api/help'),
  answerHelp: (id: string, requestId: string, text: string) => post<HelpRequest>(`/api/instances/${enc(id)}/help/${enc(requestId)}/answer`, { text }),
  bpmn: async (key: string, version: number): Promise<string> => {
    const response = await fetch(`/api/definitions/${enc(key)}/versions/${version}/bpmn`, { credentials: 'same-origin' });
    if (!response.ok) throw new ApiError(response.status, response.statusText, null);
    return response.text();
  },
  simulate: (channel: string, customerRef: string, text: string) =>
    post<unknown>(`/api/simulator/${enc(channel)}/${enc(customerRef)}/messages`, { text }),

  tickets: (queue: 'tier2' | 'related') => get<TicketSummary[]>(`/api/tickets?queue=${queue}`),
  ticket: (id: string) => get<TicketView>(`/api/tickets/${enc(id)}`),
  note: (id: string, text: string) => post<TicketView>(`/api/tickets/${enc(id)}/notes`, { text }),
  dispatch: (id: string, unit: string, note: string | null, expectedVersion: number) => post<TicketView>(`/api/tickets/${enc(id)}/dispatch`, { unit, note, expectedVersion }),
  close: (id: string, memo: string, expectedVersion: number) => post<TicketView>(`/api/tickets/${enc(id)}/close`, { memo, expectedVersion }),
  completeTicketTask: (id: string, taskId: number, outcome: string | null, data: Record<string, string> | null, expectedVersion: number) =>
    post<TicketView>(`/api/tickets/${enc(id)}/tasks/${taskId}/complete`, { outcome, data, expectedVersion }),
  slaPause: (id: string, reason: string) => post<TicketView>(`/api/tickets/${enc(id)}/sla/pause`, { reason }),
  slaResume: (id: string) => post<TicketView>(`/api/tickets/${enc(id)}/sla/resume`, {}),
  slaExtend: (id: string, reason: string) => post<TicketView>(`/api/tickets/${enc(id)}/sla/extend`, { reason }),
};

/** A .NET TimeSpan ("3.17:59:51.65", "-00:10:00") in milliseconds. */
export function timeSpanMs(value: string): number {
  const match = /^(-)?(?:(\d+)\.)?(\d+):(\d+):(\d+)(?:\.(\d+))?$/.exec(value);
  if (!match) return 0;
  const [, sign, d, hh, mm, ss, frac] = match;
  const ms = ((Number(d ?? 0) * 24 + Number(hh)) * 60 + Number(mm)) * 60_000 + Number(ss) * 1000 + Number(`0.${frac ?? '0'}`) * 1000;
  return sign ? -ms : ms;
}
