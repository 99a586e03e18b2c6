using System.Globalization;

namespace ContactCenter.Benchmarks;

/// <summary>The load commands' options (<c>--runs 20</c>): a missing option takes its default, a malformed value stops the run with its name.</summary>
internal static class LoadArgs
{
    public static string? After(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && !args[at + 1].StartsWith("--", StringComparison.Ordinal) ? args[at + 1] : null;
    }

    public static int Int(string[] args, string name, int fallback) =>
        After(args, name) is not { } text ? fallback
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : throw new ArgumentException($"{name} needs a whole number, not '{text}'");

    public static double Double(string[] args, string name, double fallback) =>
        After(args, name) is not { } text ? fallback
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
        : throw new ArgumentException($"{name} needs a number, not '{text}'");
}
