using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Modules.Calendar;
using ContactCenter.Runtime.Instances;

namespace ContactCenter.Modules.Quality;

/// <summary>
/// What the documentation step (SOP §6.5, "membuat laporan dan dokumentasi data chat nasabah" in
/// the Omni Channel application) records: the contact's category and product, a summary, whether
/// it was out of topic (OOT, §6.11), and the ticket number when the conversation raised one. The
/// flows ask the first four with <c>cc:fields</c> on the step that has the <c>documentation</c>
/// purpose; the ticket number is filled from the conversation's own journal (the ticket opened from
/// its <c>createTicket</c> call), so the agent never types it (docs/sop-assumptions.md A30-A32).
/// </summary>
public static class ContactDocumentation
{
    /// <summary>The contact's category: one of the ticket categories of <c>sla-policies.json</c> (A30).</summary>
    public const string CategoryField = "kategoriKontak";

    /// <summary>The product the contact was about (free text, A31).</summary>
    public const string ProductField = "produk";

    /// <summary>What the contact was about and what was done, in a few sentences.</summary>
    public const string SummaryField = "ringkasan";

    /// <summary>Out of topic: <c>Ya</c> or <c>Tidak</c> (a boolean is taken and written as those words).</summary>
    public const string OutOfTopicField = "oot";

    /// <summary>The ticket the conversation raised, filled by the server (A32).</summary>
    public const string TicketNumberField = "nomorTiket";

    public const string Yes = "Ya";
    public const string No = "Tidak";

    /// <summary>Longest product name.</summary>
    public const int MaxProductLength = 100;

    /// <summary>Longest summary.</summary>
    public const int MaxSummaryLength = 2000;

    /// <summary>The service kind whose call opens a ticket.</summary>
    public const string CreateTicketService = "createTicket";

    /// <summary>The choices the console offers per field (the category list, Ya / Tidak).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Choices(SlaPolicySet policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        return new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            [CategoryField] = policies.Categories,
            [OutOfTopicField] = [Yes, No],
        };
    }

    /// <summary>
    /// The tickets a conversation raised, newest last: each <c>createTicket</c> call of its journal
    /// opens the ticket whose id <see cref="Tickets.TicketOpener.TicketIdOf"/> derives from it.
    /// </summary>
    public static IReadOnlyList<Guid> RaisedTickets(Guid instanceId, IEnumerable<WorkflowEvent> journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        return [.. journal.OfType<ServiceInvoked>().Where(s => s.ServiceKind == CreateTicketService).Select(s => Tickets.TicketOpener.TicketIdOf(instanceId, s.Sequence))];
    }

    /// <summary>
    /// Checks the documentation data and returns it as journaled: the category one the policies
    /// know, the product and summary not blank and not too long, OOT as <c>Ya</c> / <c>Tidak</c>,
    /// and the ticket number of the ticket raised (the last one, when several). Errors are keyed
    /// <c>data.&lt;field&gt;</c> and name the field.
    /// </summary>
    public static (Dictionary<string, Value> Data, Dictionary<string, string[]> Errors) Check(
        IReadOnlyDictionary<string, Value>? data,
        SlaPolicySet policies,
        IReadOnlyList<Guid> raisedTickets)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(raisedTickets);
        var result = data is null ? new Dictionary<string, Value>(StringComparer.Ordinal) : new Dictionary<string, Value>(data, StringComparer.Ordinal);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);

        var category = Text(result, CategoryField);
        if (category is null)
        {
            Error(CategoryField, $"the contact's category is required{Known(policies.Categories)}");
        }
        else if (!policies.IsKnownCategory(category))
        {
            Error(CategoryField, $"'{category}' is not a contact category{Known(policies.Categories)}");
        }
        else
        {
            result[CategoryField] = category;
        }

        Required(ProductField, "the product the contact was about", MaxProductLength);
        Required(SummaryField, "a summary of the contact", MaxSummaryLength);

        var oot = result.GetValueOrDefault(OutOfTopicField);
        if (oot.Kind == ValueKind.Boolean)
        {
            result[OutOfTopicField] = oot.AsBoolean ? Yes : No;
        }
        else if (Text(result, OutOfTopicField) is { } said && (said.Equals(Yes, StringComparison.OrdinalIgnoreCase) || said.Equals(No, StringComparison.OrdinalIgnoreCase)))
        {
            result[OutOfTopicField] = said.Equals(Yes, StringComparison.OrdinalIgnoreCase) ? Yes : No;
        }
        else
        {
            Error(OutOfTopicField, oot.IsNull ? $"whether the contact was out of topic (OOT) is required: {Yes} or {No}" : $"{oot.Describe()} is not {Yes} or {No}");
        }

        var given = Text(result, TicketNumberField);
        if (raisedTickets.Count > 0)
        {
            var raised = raisedTickets[^1].ToString();
            if (given is not null && !raisedTickets.Any(t => t.ToString().Equals(given, StringComparison.OrdinalIgnoreCase)))
            {
                Error(TicketNumberField, $"this conversation raised ticket {raised}, not '{given}'; leave the field out and it is filled in");
            }
            else
            {
                result[TicketNumberField] = given is null ? raised : given.ToLowerInvariant();
            }
        }
        else if (given is not null)
        {
            Error(TicketNumberField, "this conversation raised no ticket; leave the field out");
        }
        else
        {
            result.Remove(TicketNumberField);
        }

        return (result, errors);

        void Required(string field, string what, int max)
        {
            var text = Text(result, field);
            if (text is null)
            {
                Error(field, $"{what} is required");
            }
            else if (text.Length > max)
            {
                Error(field, $"at most {max} characters");
            }
            else
            {
                result[field] = text;
            }
        }

        void Error(string field, string message) => errors[$"data.{field}"] = [$"{field}: {message}"];
    }

    /// <summary>The documentation recorded by a completion (null when it carries none of the fields).</summary>
    public static DocumentationRecord? Of(IReadOnlyDictionary<string, Value> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var record = new DocumentationRecord(Text(data, CategoryField), Text(data, ProductField), Text(data, SummaryField), Text(data, OutOfTopicField) is { } oot ? oot == Yes : null, Text(data, TicketNumberField));
        return record is { Category: null, Product: null, Summary: null, OutOfTopic: null, TicketNumber: null } ? null : record;
    }

    /// <summary>
    /// The last documentation a journal records: the data of the last completion of a work item
    /// whose element <paramref name="isDocumentation"/> says has the documentation purpose.
    /// </summary>
    public static DocumentationRecord? FromJournal(IEnumerable<WorkflowEvent> journal, Func<string, bool> isDocumentation)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(isDocumentation);
        var elements = new Dictionary<long, string>();
        DocumentationRecord? last = null;
        foreach (var e in journal)
        {
            if (e is WorkItemCreated created)
            {
                elements[created.WorkItemId] = created.ElementId;
            }
            else if (e is WorkItemCompleted completed && elements.TryGetValue(completed.WorkItemId, out var element) && isDocumentation(element))
            {
                last = Of(completed.Data) ?? last;
            }
        }

        return last;
    }

    private static string? Text(IReadOnlyDictionary<string, Value> data, string field) =>
        data.TryGetValue(field, out var v) && v.Kind == ValueKind.String && v.AsString.Trim() is { Length: > 0 } text ? text : null;

    private static string Known(IReadOnlyList<string> names) => names.Count == 0 ? string.Empty : $" (one of {string.Join(", ", names)})";
}

/// <summary>A documentation step's record: what the dashboard counts and QC reads in the replay.</summary>
public sealed record DocumentationRecord(string? Category, string? Product, string? Summary, bool? OutOfTopic, string? TicketNumber);
