using ContactCenter.Engine.Journal;

namespace ContactCenter.Modules.Quality;

/// <summary>
/// How the shipped flows record what a conversation came to, in the words the engine does not
/// know: the still-connected ladder sets <c>terhubung</c> to false when it closes a chat for
/// silence (the end event of purpose <c>still-connected-close</c>), and a ticket is raised by the
/// <c>createTicket</c> service task.
/// </summary>
public static class ConversationOutcomes
{
    /// <summary>The what-if and outcome reading of the shipped flows.</summary>
    public static WhatIfOptions Options { get; } = new() { SilenceVariable = "terhubung", TicketServiceKind = "createTicket" };

    /// <summary>End status, silence close, tickets, prompts and duration of a conversation's journal.</summary>
    public static WhatIfOutcome Of(IReadOnlyList<WorkflowEvent> journal) => WhatIfReplay.OutcomeOf(journal, Options);
}
