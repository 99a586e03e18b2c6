using System.Globalization;

namespace ContactCenter.Engine;

/// <summary>Shortens text quoted back in a problem or error message.</summary>
/// <remarks>
/// A hostile definition can put megabytes into one attribute or condition; echoing it whole made a
/// 3 MB upload answer with a 90 MB problem list (issue 16). The start is enough to find it.
/// </remarks>
internal static class Excerpt
{
    /// <summary>Default is 80 characters.</summary>
    public const int DefaultLength = 80;

    public static string Of(string text, int maxLength = DefaultLength) =>
        text.Length <= maxLength ? text : string.Create(CultureInfo.InvariantCulture, $"{text.AsSpan(0, maxLength)}… ({text.Length:N0} characters)");
}
