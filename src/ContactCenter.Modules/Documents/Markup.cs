using System.Text;

namespace ContactCenter.Modules.Documents;

/// <summary>Escaping for text placed in HTML or SVG, in element content and quoted attributes alike.</summary>
public static class Markup
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ when char.IsControl(c) && c is not ('\n' or '\t') => string.Empty,
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    /// <summary>Escaped, with line breaks kept as <c>&lt;br&gt;</c>.</summary>
    public static string EscapeLines(string? text) => Escape(text?.Replace("\r\n", "\n", StringComparison.Ordinal)).Replace("\n", "<br>", StringComparison.Ordinal);
}
