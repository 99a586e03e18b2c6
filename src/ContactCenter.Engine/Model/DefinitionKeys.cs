using System.Text.RegularExpressions;

namespace ContactCenter.Engine.Model;

/// <summary>
/// The one rule for a definition key (the BPMN process id): lower-case letters, digits and dashes,
/// starting with a letter, at most <see cref="MaxLength"/> characters. The parser applies it to a
/// process id, the API to a key in a request.
/// </summary>
public static partial class DefinitionKeys
{
    /// <summary>
    /// 64 characters: the limit the API already applied, long enough for any SOP flow name
    /// (<c>outlet-reservation</c> is 18), short enough that a key is readable in a URL, a log line
    /// and a Quartz or idempotency key, and well inside the 200-character database columns. The
    /// parser used to have no limit, so it could publish a flow the API would refuse to start.
    /// </summary>
    public const int MaxLength = 64;

    /// <summary>What a valid key looks like, for error messages.</summary>
    public const string Description = "lower-case letters, digits and dashes, starting with a letter, at most 64 characters (e.g. live-chat)";

    public static bool IsValid(string? key) => key is not null && Pattern().IsMatch(key);

    // \z rather than $: $ also matches before a final newline.
    [GeneratedRegex(@"^[a-z][a-z0-9-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
