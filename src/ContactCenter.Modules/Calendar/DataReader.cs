using System.Globalization;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;

namespace ContactCenter.Modules.Calendar;

/// <summary>Reads the calendar and SLA JSON files field by field, so every error names file, entry and field.</summary>
internal sealed class DataReader(string fileName)
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip };

    public string FileName { get; } = fileName;

    public JsonDocument Parse(string json)
    {
        try
        {
            return JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            var line = e.LineNumber is { } l ? $"line {l + 1}, position {e.BytePositionInLine + 1}: " : string.Empty;
            throw new CalendarDataException(FileName, null, null, $"{line}not valid JSON ({e.Message})", e);
        }
    }

    public CalendarDataException Error(string? entry, string? field, string problem) => new(FileName, entry, field, problem);

    public void ExpectObject(JsonElement element, string? entry)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(entry, null, $"expected an object, found {Describe(element)}");
        }
    }

    /// <summary>Rejects fields not in <paramref name="known"/>: a misspelt field would otherwise silently take its default.</summary>
    public void OnlyFields(JsonElement obj, string? entry, params string[] known)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                throw Error(entry, property.Name, $"unknown field (known: {string.Join(", ", known)})");
            }
        }
    }

    public JsonElement? Optional(JsonElement obj, string? entry, string field, JsonValueKind kind)
    {
        if (!obj.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != kind && !(kind == JsonValueKind.True && value.ValueKind == JsonValueKind.False))
        {
            throw Error(entry, field, $"expected {Describe(kind)}, found {Describe(value)}");
        }

        return value;
    }

    public JsonElement Required(JsonElement obj, string? entry, string field, JsonValueKind kind) =>
        Optional(obj, entry, field, kind) ?? throw Error(entry, field, "is required");

    public string RequiredString(JsonElement obj, string? entry, string field)
    {
        var text = Required(obj, entry, field, JsonValueKind.String).GetString()!;
        return string.IsNullOrWhiteSpace(text) ? throw Error(entry, field, "must not be empty") : text;
    }

    public string? OptionalString(JsonElement obj, string? entry, string field)
    {
        var text = Optional(obj, entry, field, JsonValueKind.String)?.GetString();
        return text is not null && string.IsNullOrWhiteSpace(text) ? throw Error(entry, field, "must not be empty") : text;
    }

    public decimal? OptionalDecimal(JsonElement obj, string? entry, string field) =>
        Optional(obj, entry, field, JsonValueKind.Number) is { } value
            ? value.TryGetDecimal(out var number) ? number : throw Error(entry, field, $"'{value.GetRawText()}' is out of range")
            : null;

    public int RequiredInt(JsonElement obj, string? entry, string field)
    {
        var value = Required(obj, entry, field, JsonValueKind.Number);
        return value.TryGetInt32(out var number) ? number : throw Error(entry, field, $"'{value.GetRawText()}' is not a whole number");
    }

    public LocalDate ParseDate(string text, string? entry, string field)
    {
        var result = LocalDatePattern.Iso.Parse(text);
        return result.Success ? result.Value : throw Error(entry, field, $"'{text}' is not a date (yyyy-MM-dd)");
    }

    public LocalTime ParseTime(string text, string? entry, string field)
    {
        var result = LocalTimePattern.CreateWithInvariantCulture("HH':'mm").Parse(text);
        return result.Success ? result.Value : throw Error(entry, field, $"'{text}' is not a time of day (HH:mm)");
    }

    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"the string '{element.GetString()}'",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        _ => Describe(element.ValueKind),
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString().ToLower(CultureInfo.InvariantCulture),
    };
}
