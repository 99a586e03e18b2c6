// What each kind of flow (cc:flowKind) must declare in cc:purpose: the same table as the
// modules' FlowContracts (src/ContactCenter.Modules/Flows/FlowContracts.cs), with the same
// messages, so the designer's lint refuses what the server refuses (DesignerTests' agreement
// test imports broken flows into both).

/** One purpose a kind of flow declares (FlowContracts.PurposeRule). */
export interface PurposeRule { purpose: string; dependsOnIt: string; required: boolean; onlyOnce: boolean; kinds: string[] }

const TASKS = ['userTask', 'manualTask'];
const DECISIONS = ['exclusiveGateway'];
// A "masih terhubung?" prompt: the agent's step, or an automatic send task (a modelling choice, A24).
const PROMPTS = ['userTask', 'manualTask', 'sendTask'];
const rule = (purpose: string, dependsOnIt: string, required: boolean, onlyOnce: boolean, kinds: string[]): PurposeRule => ({ purpose, dependsOnIt, required, onlyOnce, kinds });

export const FLOW_CONTRACTS: Record<string, PurposeRule[]> = {
  conversation: [
    rule('opening-greeting', "the scorecard's opening-greeting rule (done before any other step)", true, true, TASKS),
    rule('verification', "the scorecard's data-verified rule", true, false, TASKS),
    rule('need-identification', "the scorecard's need-identified rule", true, false, TASKS),
    rule('solution', "the scorecard's data-verified and need-identified rules", true, false, TASKS),
    rule('more-help-decision', "the scorecard's more-help-asked rule", true, false, DECISIONS),
    rule('closing-greeting', "the scorecard's closing-greeting, more-help-asked and cross-selling rules", true, false, TASKS),
    rule('documentation', "the scorecard's documentation rule", true, false, TASKS),
    rule('complaint-decision', "the agent console's complaint decision", false, false, DECISIONS),
    rule('ticket-creation', 'the complaint ticket it opens', false, false, ['serviceTask']),
    rule('cross-selling', "the scorecard's cross-selling rule", false, false, TASKS),
  ],
  ticket: [
    rule('ticket-received', "the ticket desk's dispatch and close (Tier 2 receives the ticket on the way)", true, true, TASKS),
    rule('tier2-identification', "the ticket desk's dispatch and close (Tier 2 identifies the problem on the way)", true, true, TASKS),
    rule('tier2-decision', "the ticket desk's dispatch and close", true, true, DECISIONS),
    rule('dispatch', "the ticket desk's dispatch (the decision's outcome that leads to it dispatches)", true, true, ['serviceTask']),
    rule('related-team-work', "the related team's queue", true, false, TASKS),
    rule('ticket-close', "the ticket desk's close", true, true, TASKS),
    rule('sla-warning', "the ticket's SLA warning", true, true, ['boundaryEvent']),
    rule('sla-breach', "the ticket's SLA breach", true, true, ['boundaryEvent']),
  ],
  'still-connected': [
    rule('still-connected-prompt-1', "the scorecard's still-connected-prompts rule (the first prompt) and the console's countdown", true, true, PROMPTS),
    rule('still-connected-prompt-2', "the scorecard's still-connected-prompts rule (the second prompt) and the console's countdown", true, true, PROMPTS),
    rule('still-connected-prompt-ended', "the scorecard's still-connected-prompts rule (2c: the customer ended the chat)", false, true, PROMPTS),
    rule('still-connected-agent-close', "the scorecard's silence-close rule (2c: the agent may close, not before the minute)", false, true, TASKS),
    rule('still-connected-close', "the scorecard's silence-close rule and the dashboard's silence closes", true, true, ['endEvent']),
  ],
};

/** Every purpose name the product knows, sorted as the server lists them (ordinal). */
export const KNOWN_PURPOSES: string[] = [...new Set(Object.values(FLOW_CONTRACTS).flat().map(r => r.purpose))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** The purposes the properties panel offers for a flow of this kind (all known ones when the kind is not declared). */
export function purposesFor(kind: string | null): string[] {
  return kind !== null && FLOW_CONTRACTS[kind] ? FLOW_CONTRACTS[kind].map(r => r.purpose) : KNOWN_PURPOSES;
}
