namespace ContactCenter.Modules.Flows;

/// <summary>
/// The <c>cc:purpose</c> names: what a step means to the product. Code finds the steps it works
/// with by these, never by element id or name, so a process owner may redraw a flow in the
/// designer (which names new elements <c>Activity_0x9k2m1</c>) and the ticket desk, the scorecard
/// and the dashboard keep working.
/// </summary>
public static class StepPurposes
{
    // A conversation (inbound call, email, live chat, WhatsApp, social media, outlet reservation).
    public const string OpeningGreeting = "opening-greeting";
    public const string Verification = "verification";
    public const string NeedIdentification = "need-identification";
    public const string Solution = "solution";
    public const string ComplaintDecision = "complaint-decision";
    public const string TicketCreation = "ticket-creation";
    public const string MoreHelpDecision = "more-help-decision";
    public const string CrossSelling = "cross-selling";
    public const string ClosingGreeting = "closing-greeting";
    public const string Documentation = "documentation";

    // The ticket flow (Tier 2 and the related team).
    public const string TicketReceived = "ticket-received";
    public const string Tier2Identification = "tier2-identification";
    public const string Tier2Decision = "tier2-decision";
    public const string Dispatch = "dispatch";
    public const string RelatedTeamWork = "related-team-work";
    public const string TicketClose = "ticket-close";
    public const string SlaWarning = "sla-warning";
    public const string SlaBreach = "sla-breach";

    // The "masih terhubung?" ladder: one purpose per rung. The prompts are the agent's steps (user
    // tasks: "agent harus menanyakan") in the shipped ladder; a send task with the same purpose is
    // the automatic alternative a process owner may publish (A24).
    public const string StillConnectedPrompt1 = "still-connected-prompt-1";
    public const string StillConnectedPrompt2 = "still-connected-prompt-2";
    public const string StillConnectedClose = "still-connected-close";

    // Live chat 2c: the customer ended the chat; the agent asks, and after a silent minute may close.
    public const string StillConnectedPromptEnded = "still-connected-prompt-ended";
    public const string StillConnectedAgentClose = "still-connected-agent-close";
}

/// <summary>The <c>cc:flowKind</c> names: which contract (<see cref="FlowContracts"/>) a flow signs.</summary>
public static class FlowKinds
{
    public const string Conversation = "conversation";
    public const string Ticket = "ticket";
    public const string StillConnected = "still-connected";
}
