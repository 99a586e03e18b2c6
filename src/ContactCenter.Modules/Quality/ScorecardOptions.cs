using ContactCenter.Engine.Model;

namespace ContactCenter.Modules.Quality;

/// <summary>
/// Picks the nodes of a definition that play a part in a rule: by element id, or by a phrase of
/// the node's name (the SOP's own wording, e.g. "cross selling"). A rule whose selector matches
/// no node of a conversation's flow does not apply to it.
/// </summary>
public sealed record ElementSelector
{
    /// <summary>Element ids, e.g. <c>Task_SalamPembuka</c>, compared ordinally.</summary>
    public IReadOnlyList<string> ElementIds { get; init; } = [];

    /// <summary>Phrases any of which, found in a node's name (ignoring case), select it.</summary>
    public IReadOnlyList<string> NameContains { get; init; } = [];

    public static ElementSelector Ids(params string[] ids) => new() { ElementIds = ids };

    public bool Matches(FlowNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return ElementIds.Contains(node.Id, StringComparer.Ordinal)
            || (node.Name is { } name && NameContains.Any(p => name.Contains(p, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>Whether any node of <paramref name="definition"/> matches.</summary>
    public bool AnyIn(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition.Nodes.Values.Any(Matches);
    }

    public override string ToString() => string.Join(", ", ElementIds.Concat(NameContains.Select(p => $"name ~ \"{p}\"")));
}

/// <summary>
/// Which steps of the flows each scorecard rule reads, and the time rules of the "still
/// connected?" ladder. The defaults match <c>workflows/*.bpmn</c>; a process owner who renames a
/// step changes it here, not in code.
/// </summary>
public sealed class ScorecardOptions
{
    /// <summary>"Mengucapkan salam pembuka". Default is <c>Task_SalamPembuka</c>.</summary>
    public ElementSelector OpeningGreeting { get; init; } = ElementSelector.Ids("Task_SalamPembuka");

    /// <summary>"Verifikasi data nasabah". Default is <c>Task_Verifikasi</c>.</summary>
    public ElementSelector Verification { get; init; } = ElementSelector.Ids("Task_Verifikasi");

    /// <summary>
    /// Steps that identify the need. Default is <c>Task_Identifikasi</c>; the outlet reservation's
    /// <c>Task_PilihJadwal</c> (the need is the visit: outlet, date, time) and <c>Task_BantuanLain</c>
    /// ("Identifikasi kebutuhan dan memberikan solusi", both in one step).
    /// </summary>
    public ElementSelector NeedIdentification { get; init; } = ElementSelector.Ids("Task_Identifikasi", "Task_PilihJadwal", "Task_BantuanLain");

    /// <summary>
    /// Steps that give a solution or information. Default is <c>Task_Solusi</c>; the outlet
    /// reservation's <c>Task_Informasikan</c> and <c>Task_BantuanLain</c>.
    /// </summary>
    public ElementSelector Solution { get; init; } = ElementSelector.Ids("Task_Solusi", "Task_Informasikan", "Task_BantuanLain");

    /// <summary>The "Butuh bantuan lain?" decision. Default is <c>Gateway_BantuanLain</c>.</summary>
    public ElementSelector MoreHelp { get; init; } = ElementSelector.Ids("Gateway_BantuanLain");

    /// <summary>
    /// Cross selling. Default is <c>Task_CrossSelling</c> and any step whose name says "cross
    /// selling" (WhatsApp's step 6 "Salam penutup dan informasi cross selling").
    /// </summary>
    public ElementSelector CrossSelling { get; init; } = new() { ElementIds = ["Task_CrossSelling"], NameContains = ["cross selling"] };

    /// <summary>The closing greeting. Default is <c>Task_SalamPenutup</c>.</summary>
    public ElementSelector ClosingGreeting { get; init; } = ElementSelector.Ids("Task_SalamPenutup");

    /// <summary>"Dokumentasi pada aplikasi Omni Channel". Default is <c>Task_Dokumentasi</c>.</summary>
    public ElementSelector Documentation { get; init; } = ElementSelector.Ids("Task_Dokumentasi");

    /// <summary>Service kinds that open a complaint ticket. Default is <c>createTicket</c>.</summary>
    public IReadOnlyList<string> TicketServiceKinds { get; init; } = ["createTicket"];

    /// <summary>The variable the closing script's greeting comes from. Default is <c>salamPenutup</c>.</summary>
    public string ClosingGreetingVariable { get; init; } = Greetings.GreetingVariables.SalamPenutupName;

    /// <summary>
    /// <c>cc:step</c> of the "masih terhubung?" prompts, in order: the first after one minute of
    /// silence, each next one minute after the one before. Default is 2a, 2b (the ladder's numbers,
    /// §8.5; §8.2 calls them 3a, 3b).
    /// </summary>
    public IReadOnlyList<string> PromptSteps { get; init; } = ["2a", "2b"];

    /// <summary><c>cc:step</c> of the node that closes a silent chat. Default is 2c.</summary>
    public string CloseStep { get; init; } = "2c";

    /// <summary>The SOP's silence before each prompt and before the close. Default is 1 minute.</summary>
    public TimeSpan SilenceInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How far a prompt or close may be from the SOP's time and still pass, either way. Default is 5 seconds.</summary>
    public TimeSpan Tolerance { get; init; } = TimeSpan.FromSeconds(5);
}
