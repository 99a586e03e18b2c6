// Quality Control's requests: the history search, the replay steps (state after every journal
// event, folded by the server's engine), the exact-replay verdict, the scorecard and reviews.
import { http, type InstanceStatus } from '../api';

const { get, post, enc } = http;

export interface HistoryRow {
  id: string; definitionKey: string; definitionVersion: number; channel: string; customerRef: string | null; agent: string | null;
  status: InstanceStatus; startedAt: string; endedAt: string | null; endReason: string | null; closedBySilence: boolean;
  ticketsRaised: number; events: number; score: number | null; passed: number | null; failed: number | null;
  reviewScore: number | null; reviewer: string | null;
}

export interface HistoryFilter { agent?: string; channel?: string; status?: string; outcome?: string; from?: string; to?: string; limit?: number }

export interface ElementRef { definitionKey: string; elementId: string; name: string | null }

export interface StepToken { id: number; definitionKey: string; elementId: string; name: string | null }
export interface StepWorkItem {
  id: number; definitionKey: string; elementId: string; name: string | null; lane: string | null; step: string | null;
  script: string | null; outcomes: string[]; fields: string[]; createdAt: string;
}
export interface StepTimer { id: number; definitionKey: string; elementId: string; name: string | null; dueAt: string; slaPolicy: string | null; held: boolean }
export interface StepWait { id: number; definitionKey: string; elementId: string; name: string | null; messageName: string }

export interface StepState {
  status: InstanceStatus; endedAt: string | null; endReason: string | null; tokens: StepToken[]; workItems: StepWorkItem[];
  timers: StepTimer[]; waits: StepWait[]; variables: Record<string, unknown>; changed: string[];
}

export interface ReplayStep {
  sequence: number; type: string; at: string; actor: string | null; element: ElementRef | null; flowId: string | null;
  details: Record<string, unknown>; state: StepState | null;
}

export interface PathCount { definitionKey: string; id: string; count: number; firstSequence: number }
import type { ConversationLine } from '../api';
export type { ConversationLine };

export interface InstanceFacts {
  id: string; definitionKey: string; definitionVersion: number; channel: string; customerRef: string | null; agent: string | null;
  status: InstanceStatus; startedAt: string; endedAt: string | null; endReason: string | null; parentInstanceId: string | null;
  definitions: { key: string; version: number; name: string | null }[];
  tickets: { id: string; status: InstanceStatus; startedAt: string; endedAt: string | null }[];
  outcome: { closedBySilence: boolean; silenceClosedAt: string | null; ticketsRaised: number; promptsSent: number };
  /** What the agent documented at the documentation step; null before it. */
  documentation?: { category: string | null; product: string | null; summary: string | null; outOfTopic: boolean | null; ticketNumber: string | null } | null;
}

export interface ReplaySteps {
  instance: InstanceFacts;
  replay: {
    eventCount: number; steps: ReplayStep[]; visits: PathCount[]; flows: PathCount[]; conversation: ConversationLine[];
    foldProblem: { sequence: number; message: string } | null;
  };
}

export interface ReplayVerdict {
  instanceId: string; pinnedVersions: Record<string, number>; snapshotMatches: boolean; matches: boolean;
  replay: {
    commandsReplayed: number; eventsChecked: number; eventsInJournal: number; matches: boolean;
    divergence: { sequence: number; expected: string | null; actual: string | null; reason: string } | null;
  };
}

export type RuleOutcome = 'Passed' | 'Failed' | 'NotApplicable';
export interface RuleResult {
  rule: { id: string; title: string; sopSource: string }; outcome: RuleOutcome; summary: string;
  evidence: { sequence: number; at: string; what: string }[];
}
export interface Review { id: string; instanceId: string; agent: string | null; reviewer: string; score: number; note: string | null; reviewedAt: string }
export interface ScorecardView {
  instanceId: string;
  scorecard: { definitionKey: string; definitionVersion: number; eventsRead: number; rules: RuleResult[]; passed: number; failed: number; notApplicable: number; score: number | null };
  reviews: Review[];
}

export const quality = {
  histories: (filter: HistoryFilter) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filter)) if (v !== undefined && v !== '') q.set(k, String(v));
    return get<HistoryRow[]>(`/api/quality/histories?${q}`);
  },
  steps: (id: string) => get<ReplaySteps>(`/api/instances/${enc(id)}/replay/steps`),
  verdict: (id: string) => get<ReplayVerdict>(`/api/instances/${enc(id)}/replay`),
  scorecard: (id: string) => get<ScorecardView>(`/api/instances/${enc(id)}/scorecard`),
  review: (id: string, score: number, note: string | null) => post<Review>(`/api/instances/${enc(id)}/reviews`, { score, note }),
};
