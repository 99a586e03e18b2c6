using ContactCenter.Engine.Model;
using ContactCenter.Modules.Flows;

namespace ContactCenter.Modules.Quality;

/// <summary>
/// Picks the nodes of a definition that play a part in a rule: by the purpose the flow declares
/// for them (<c>cc:purpose</c>, <see cref="StepPurposes"/>). A rule whose selector matches no
/// node of a conversation's flow does not apply to it.
/// </summary>
public sealed record ElementSelector
{
    /// <summary><c>cc:purpose</c> names, e.g. <c>opening-greeting</c>, compared ordinally.</summary>
    public IReadOnlyList<string> Purposes { get; init; } = [];

    public static ElementSelector Purpose(params string[] purposes) => new() { Purposes = purposes };

    public bool Matches(FlowNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Purposes.Any(node.HasPurpose);
    }

    /// <summary>Whether any node of <paramref name="definition"/> matches.</summary>
    public bool AnyIn(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition.Nodes.Values.Any(Matches);
    }

    public override string ToString() => string.Join(", ", Purposes.Select(p => "cc:purpose " + p));
}

/// <summary>
/// Which steps of the flows each scorecard rule reads, and the time rules of the "still
/// connected?" ladder. Steps are found by the purpose the flow declares (<c>cc:purpose</c>), so a
/// process owner may rename or redraw a step freely.
/// </summary>
public sealed class ScorecardOptions
{
    /// <summary>"Mengucapkan salam pembuka". Default is the <c>opening-greeting</c> purpose.</summary>
    public ElementSelector OpeningGreeting { get; init; } = ElementSelector.Purpose(StepPurposes.OpeningGreeting);

    /// <summary>"Verifikasi data nasabah". Default is the <c>verification</c> purpose.</summary>
    public ElementSelector Verification { get; init; } = ElementSelector.Purpose(StepPurposes.Verification);

    /// <summary>
    /// Steps that identify the need. Default is the <c>need-identification</c> purpose (the outlet
    /// reservation declares it on choosing the visit, and on "Identifikasi kebutuhan dan memberikan
    /// solusi", which is both in one step).
    /// </summary>
    public ElementSelector NeedIdentification { get; init; } = ElementSelector.Purpose(StepPurposes.NeedIdentification);

    /// <summary>Steps that give a solution or information. Default is the <c>solution</c> purpose.</summary>
    public ElementSelector Solution { get; init; } = ElementSelector.Purpose(StepPurposes.Solution);

    /// <summary>The "Butuh bantuan lain?" decision. Default is the <c>more-help-decision</c> purpose.</summary>
    public ElementSelector MoreHelp { get; init; } = ElementSelector.Purpose(StepPurposes.MoreHelpDecision);

    /// <summary>
    /// Cross selling. Default is the <c>cross-selling</c> purpose (WhatsApp declares it, beside
    /// <c>closing-greeting</c>, on step 6 "Salam penutup dan informasi cross selling").
    /// </summary>
    public ElementSelector CrossSelling { get; init; } = ElementSelector.Purpose(StepPurposes.CrossSelling);

    /// <summary>The closing greeting. Default is the <c>closing-greeting</c> purpose.</summary>
    public ElementSelector ClosingGreeting { get; init; } = ElementSelector.Purpose(StepPurposes.ClosingGreeting);

    /// <summary>"Dokumentasi pada aplikasi Omni Channel". Default is the <c>documentation</c> purpose.</summary>
    public ElementSelector Documentation { get; init; } = ElementSelector.Purpose(StepPurposes.Documentation);

    /// <summary>Service kinds that open a complaint ticket. Default is <c>createTicket</c>.</summary>
    public IReadOnlyList<string> TicketServiceKinds { get; init; } = ["createTicket"];

    /// <summary>The variable the closing script's greeting comes from. Default is <c>salamPenutup</c>.</summary>
    public string ClosingGreetingVariable { get; init; } = Greetings.GreetingVariables.SalamPenutupName;

    /// <summary>
    /// <c>cc:purpose</c> of the "masih terhubung?" prompts, in order: the first after one minute of
    /// silence, each next one minute after the one before. Default is the ladder's two rungs.
    /// </summary>
    public IReadOnlyList<string> PromptPurposes { get; init; } = [StepPurposes.StillConnectedPrompt1, StepPurposes.StillConnectedPrompt2];

    /// <summary><c>cc:purpose</c> of the node that closes a silent chat. Default is <c>still-connected-close</c>.</summary>
    public string ClosePurpose { get; init; } = StepPurposes.StillConnectedClose;

    /// <summary><c>cc:purpose</c> of live chat's 2c question, asked when the customer ended the chat. Default is <c>still-connected-prompt-ended</c>.</summary>
    public string PromptEndedPurpose { get; init; } = StepPurposes.StillConnectedPromptEnded;

    /// <summary>The SOP's silence before each prompt and before the close. Default is 1 minute.</summary>
    public TimeSpan SilenceInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How far a question or close may be from the SOP's time and still pass, either way. Default
    /// is 10 seconds: the question is the agent's click (A24), and the console shows it due on the
    /// second, so ten seconds is room to finish a sentence, not to forget.
    /// </summary>
    public TimeSpan Tolerance { get; init; } = TimeSpan.FromSeconds(10);
}
