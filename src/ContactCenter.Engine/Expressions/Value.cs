using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContactCenter.Engine.Expressions;

/// <summary>The kind of a <see cref="Value"/>.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The kinds are named after the JSON types they map to.")]
public enum ValueKind
{
    Null,
    Boolean,
    Number,
    String,
}

/// <summary>
/// An instance variable's value: null, a boolean, a decimal number or a string. Deliberately
/// scalar, so that a journal stays small, comparable and replayable byte for byte.
/// </summary>
[JsonConverter(typeof(ValueJsonConverter))]
public readonly record struct Value
{
    private readonly object? _payload;

    private Value(ValueKind kind, object? payload)
    {
        Kind = kind;
        _payload = payload;
    }

    public ValueKind Kind { get; }

    public static Value Null => default;

    public static Value True { get; } = new(ValueKind.Boolean, true);

    public static Value False { get; } = new(ValueKind.Boolean, false);

    public bool IsNull => Kind == ValueKind.Null;

    public bool AsBoolean => Kind == ValueKind.Boolean ? (bool)_payload! : throw new InvalidOperationException($"{Describe()} is not a boolean");

    public decimal AsNumber => Kind == ValueKind.Number ? (decimal)_payload! : throw new InvalidOperationException($"{Describe()} is not a number");

    public string AsString => Kind == ValueKind.String ? (string)_payload! : throw new InvalidOperationException($"{Describe()} is not a string");

    public static Value From(bool value) => value ? True : False;

    public static Value From(decimal value) => new(ValueKind.Number, value);

    public static Value From(string? value) => value is null ? Null : new(ValueKind.String, value);

    public static implicit operator Value(bool value) => From(value);

    public static implicit operator Value(decimal value) => From(value);

    public static implicit operator Value(int value) => From((decimal)value);

    public static implicit operator Value(string? value) => From(value);

    public bool Equals(Value other) => Kind == other.Kind && Equals(_payload, other._payload);

    public override int GetHashCode() => HashCode.Combine(Kind, _payload);

    /// <summary>The text used when a value fills a <c>{placeholder}</c> in a script.</summary>
    public override string ToString() => Kind switch
    {
        ValueKind.Null => string.Empty,
        ValueKind.Boolean => (bool)_payload! ? "true" : "false",
        ValueKind.Number => ((decimal)_payload!).ToString(CultureInfo.InvariantCulture),
        _ => (string)_payload!,
    };

    /// <summary>The value as an expression literal would write it, for error messages.</summary>
    public string Describe() => Kind switch
    {
        ValueKind.Null => "null",
        ValueKind.String => $"'{_payload}'",
        _ => ToString(),
    };

    /// <summary>Reads a JSON primitive into a value; objects and arrays are refused.</summary>
    public static Value FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => Null,
        JsonValueKind.True => True,
        JsonValueKind.False => False,
        JsonValueKind.Number => From(element.GetDecimal()),
        JsonValueKind.String => From(element.GetString()),
        _ => throw new JsonException($"a variable value must be a string, number, boolean or null, not {element.ValueKind}"),
    };
}

internal sealed class ValueJsonConverter : JsonConverter<Value>
{
    public override bool HandleNull => true;

    public override Value Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => Value.Null,
        JsonTokenType.True => Value.True,
        JsonTokenType.False => Value.False,
        JsonTokenType.Number => Value.From(reader.GetDecimal()),
        JsonTokenType.String => Value.From(reader.GetString()),
        _ => throw new JsonException($"a variable value must be a string, number, boolean or null, not {reader.TokenType}"),
    };

    public override void Write(Utf8JsonWriter writer, Value value, JsonSerializerOptions options)
    {
        switch (value.Kind)
        {
            case ValueKind.Null: writer.WriteNullValue(); break;
            case ValueKind.Boolean: writer.WriteBooleanValue(value.AsBoolean); break;
            case ValueKind.Number: writer.WriteNumberValue(value.AsNumber); break;
            default: writer.WriteStringValue(value.AsString); break;
        }
    }
}
