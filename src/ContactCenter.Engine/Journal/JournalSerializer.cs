using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContactCenter.Engine.Journal;

/// <summary>
/// The journal's one JSON form: golden files, exports and the runtime's event rows all use it,
/// so a journal written anywhere reads back everywhere, and equal events give equal text.
/// </summary>
public static class JournalSerializer
{
    /// <summary>Options for event JSON: camelCase, enums as text, Indonesian text kept readable.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };

    private static readonly Dictionary<Type, string> TypeNames = typeof(WorkflowEvent)
        .GetCustomAttributes(typeof(JsonDerivedTypeAttribute), inherit: false)
        .Cast<JsonDerivedTypeAttribute>()
        .ToDictionary(a => a.DerivedType, a => (string)a.TypeDiscriminator!);

    /// <summary>The versioned type name an event is stored under, e.g. <c>element-entered@1</c>.</summary>
    public static string TypeNameOf(WorkflowEvent e) => TypeNames[e.GetType()];

    public static string Serialize(WorkflowEvent e) => JsonSerializer.Serialize(e, Options);

    public static WorkflowEvent Deserialize(string json) =>
        JsonSerializer.Deserialize<WorkflowEvent>(json, Options) ?? throw new JsonException("an event is null");

    /// <summary>JSON Lines: one event per line, the export format for outside QA tools.</summary>
    public static string ToJsonLines(IEnumerable<WorkflowEvent> events)
    {
        var sb = new StringBuilder();
        foreach (var e in events)
        {
            sb.Append(Serialize(e)).Append('\n');
        }

        return sb.ToString();
    }

    public static IReadOnlyList<WorkflowEvent> FromJsonLines(string text)
    {
        var events = new List<WorkflowEvent>();
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                events.Add(Deserialize(line));
            }
            catch (JsonException e)
            {
                throw new JsonException($"line {lineNumber}: {e.Message}", e);
            }
        }

        return events;
    }

    /// <summary>An indented JSON array, the form of the golden journals under tests/.</summary>
    public static string ToJsonArray(IEnumerable<WorkflowEvent> events) => JsonSerializer.Serialize(events.ToList(), Indented);

    public static IReadOnlyList<WorkflowEvent> FromJsonArray(string json) =>
        JsonSerializer.Deserialize<List<WorkflowEvent>>(json, Options) ?? [];
}
