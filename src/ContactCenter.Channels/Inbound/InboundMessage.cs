using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContactCenter.Channels.Inbound;

/// <summary>A customer's message as the Omni Channel application posts it.</summary>
public sealed record InboundMessage
{
    /// <summary>The Omni Channel message id: the de-duplication key.</summary>
    public string? MessageId { get; init; }

    /// <summary>The customer (a WhatsApp number, an e-mail address, a social media handle).</summary>
    public string? CustomerRef { get; init; }

    public string? Text { get; init; }

    /// <summary>
    /// What happened: <c>message</c> (the default: the customer wrote) or <c>customer-ended</c>
    /// (the channel reports that the customer ended the chat: live chat's SOP §8.5 2c). An ending
    /// may come without text.
    /// </summary>
    public string? Kind { get; init; }

    /// <summary>The kinds the webhook takes.</summary>
    internal static readonly string[] Kinds = [MessageKind, CustomerEndedKind];

    internal const string MessageKind = "message";

    internal const string CustomerEndedKind = "customer-ended";

    /// <summary>The customer ended the chat, rather than wrote.</summary>
    internal bool IsEnding => Kind == CustomerEndedKind;

    /// <summary>The flows' message name: <c>customer-message</c> or <c>customer-ended</c>.</summary>
    internal string MessageName => IsEnding ? "customer-ended" : "customer-message";

    public DateTimeOffset? SentAt { get; init; }

    /// <summary>The Omni Channel conversation id, kept as the variable <c>omniConversationId</c> of a new conversation.</summary>
    public string? ConversationId { get; init; }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    internal const int MaxIdLength = 200;

    internal const int MaxTextLength = 4_000;

    /// <summary>Reads and checks a body; on failure the field errors, keyed by JSON property name.</summary>
    internal static (InboundMessage? Message, Dictionary<string, string[]>? Errors) Parse(ReadOnlySpan<byte> body)
    {
        InboundMessage? message;
        try
        {
            message = JsonSerializer.Deserialize<InboundMessage>(body, Json);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.');
            return (null, new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [$"not valid JSON for this field (line {e.LineNumber + 1}, byte {e.BytePositionInLine})"] });
        }

        if (message is null)
        {
            return (null, new Dictionary<string, string[]>(StringComparer.Ordinal) { ["body"] = ["a JSON object is required"] });
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        RequireId(errors, "messageId", message.MessageId);
        RequireId(errors, "customerRef", message.CustomerRef);
        if (message.Kind is not null && !Kinds.Contains(message.Kind, StringComparer.Ordinal))
        {
            errors["kind"] = [$"one of: {string.Join(", ", Kinds)}"];
        }

        if (string.IsNullOrWhiteSpace(message.Text))
        {
            if (!message.IsEnding)
            {
                errors["text"] = ["required: the customer's words (not only white space)"];
            }
        }
        else if (message.Text.Length > MaxTextLength)
        {
            errors["text"] = [$"at most {MaxTextLength} characters"];
        }

        if (message.ConversationId is { Length: > MaxIdLength })
        {
            errors["conversationId"] = [$"at most {MaxIdLength} characters"];
        }

        return errors.Count == 0 ? (message, null) : (null, errors);
    }

    private static void RequireId(Dictionary<string, string[]> errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = ["required"];
        }
        else if (value.Length > MaxIdLength)
        {
            errors[field] = [$"at most {MaxIdLength} characters"];
        }
        else if (value.Any(char.IsControl))
        {
            errors[field] = ["must not contain control characters"];
        }
    }
}

/// <summary>What became of an inbound message.</summary>
/// <param name="Started">A new conversation was started for it.</param>
/// <param name="Duplicate">The message id was seen before; nothing changed.</param>
public sealed record InboundResult(string MessageId, string Channel, Guid InstanceId, bool Started, bool Duplicate);
