using ContactCenter.Engine.Journal;

namespace ContactCenter.Modules.Quality;

/// <summary>A line of the conversation: a customer message, an automatic prompt, or a script the agent completed.</summary>
/// <param name="Kind"><c>customer</c>, <c>prompt</c> or <c>agent</c>.</param>
public sealed record ConversationLine(long Sequence, string Kind, string Text, DateTimeOffset At, string? Step);

/// <summary>
/// What was said in a conversation, read from its journal: the customer's messages, the automatic
/// prompts, and the scripts the agent read out (a completed work item with a script and no
/// outcomes to choose). One projection for both the agent console's conversation and Quality
/// Control's replay, so the two never tell a history differently.
/// </summary>
public sealed class ConversationTranscript
{
    private readonly Dictionary<long, WorkItemCreated> _created = [];
    private readonly List<ConversationLine> _lines = [];

    public IReadOnlyList<ConversationLine> Lines => _lines;

    /// <summary>The conversation of a whole journal.</summary>
    public static IReadOnlyList<ConversationLine> Of(IEnumerable<WorkflowEvent> journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        var transcript = new ConversationTranscript();
        foreach (var e in journal)
        {
            transcript.Add(e);
        }

        return transcript.Lines;
    }

    /// <summary>Takes the next journal event, in sequence order.</summary>
    public void Add(WorkflowEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        switch (e)
        {
            case WorkItemCreated item:
                _created[item.WorkItemId] = item;
                break;
            case WorkItemCompleted done when _created.TryGetValue(done.WorkItemId, out var item) && item.Script is { } script && item.Outcomes.IsDefaultOrEmpty:
                _lines.Add(new ConversationLine(e.Sequence, "agent", script, e.At, item.Step));
                break;
            case MessageReceived { Text: { } text }:
                _lines.Add(new ConversationLine(e.Sequence, "customer", text, e.At, null));
                break;
            // The agent's "masih terhubung?" is a step completed and then sent to the customer by the
            // flow in the same command: one line, the agent's, not the same words twice.
            case PromptSent prompt when _lines.Count > 0 && _lines[^1] is { Kind: "agent" } said && said.At == e.At && said.Text == prompt.Text && said.Step == prompt.Step:
                break;
            case PromptSent prompt:
                _lines.Add(new ConversationLine(e.Sequence, "prompt", prompt.Text, e.At, prompt.Step));
                break;
        }
    }
}
