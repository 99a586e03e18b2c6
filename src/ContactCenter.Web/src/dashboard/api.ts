// The dashboard's API: GET /api/dashboard/overview and /heatmap (team leaders, admins), the
// definition list for the flow picker and the quality summary for the pass-rate chart.
import { http, type TicketSummary } from '../api';

export interface ChannelLoad { channel: string; running: number; waitingOnCustomer: number; oldestStartedAt: string }
export interface AgentLoad { agent: string | null; displayName: string | null; running: number; waitingOnCustomer: number; oldestStartedAt: string; channels: Record<string, number> }
export interface RunningConversation {
  id: string; channel: string; agent: string | null; agentName: string | null; customerRef: string | null; startedAt: string;
  waitingOnCustomer: boolean; step: string | null; taskName: string | null; taskSince: string | null;
}
export interface LaneTickets { lane: 'Tier2' | 'RelatedTeam'; open: number; onTrack: number; atRisk: number; breached: number }
export interface HourActivity { hour: number; started: Record<string, number>; ended: Record<string, number> }
export interface Overview {
  at: string; date: string; timeZone: string;
  running: { total: number; waitingOnCustomer: number; truncated: boolean; channels: ChannelLoad[]; agents: AgentLoad[]; conversations: RunningConversation[] };
  tickets: { open: number; onTrack: number; atRisk: number; breached: number; noPolicy: number; lanes: LaneTickets[]; mostUrgent: TicketSummary[] };
  today: { started: number; ended: number; closedBySilence: number; truncated: boolean; channels: string[]; hours: HourActivity[]; reasons: ContactReasons };
}

/** What the documentation step recorded for the day's conversations: contact reasons (category) per channel and the OOT share. */
export interface ChannelReasons { channel: string; documented: number; outOfTopic: number; outOfTopicShare: number | null; categories: { category: string; count: number }[] }
export interface ContactReasons { documented: number; outOfTopic: number; outOfTopicShare: number | null; channels: ChannelReasons[] }

export interface ElementCount { elementId: string; entered: number; instances: number }
export interface FlowCount { flowId: string; taken: number }
export interface VersionCounts { version: number; instances: number; elements: ElementCount[]; flows: FlowCount[] }
export interface Heatmap {
  definitionKey: string; name: string; period: string | null; from: string; to: string; instances: number;
  versionInEffect: number | null; versions: VersionCounts[];
}

export interface DefinitionSummary { key: string; name: string; versionInEffect: number | null }

export interface QualityGroup { agent: string | null; conversations: number; reviewed: number; averageScore: number | null; averageManualScore: number | null }
export interface QualitySummary { from: string; to: string; team: QualityGroup; agents: QualityGroup[] }

export type Period = 'today' | '7d' | '30d';

export const dashboardApi = {
  overview: () => http.get<Overview>('/api/dashboard/overview'),
  heatmap: (key: string, period: Period) => http.get<Heatmap>(`/api/dashboard/heatmap?definitionKey=${http.enc(key)}&period=${period}`),
  definitions: () => http.get<DefinitionSummary[]>('/api/definitions'),
  quality: (from: Date, to: Date) => http.get<QualitySummary>(`/api/quality/summary?from=${http.enc(from.toISOString())}&to=${http.enc(to.toISOString())}`),
};
