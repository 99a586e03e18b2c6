using System.Globalization;
using System.Text;
using Serilog.Core;
using Serilog.Events;

namespace ContactCenter.Server.Hosting;

/// <summary>
/// Escapes control characters in every string a log event carries (a user name, a path, a
/// reason): CR, LF and tab as <c>\r</c>, <c>\n</c>, <c>\t</c>, any other as <c>\u001B</c>. A
/// login name with a line break can then not forge a "signed in" line in the console log, nor an
/// ESC sequence repaint the operator's terminal.
/// </summary>
public sealed class ControlCharacterEscaper : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        List<LogEventProperty>? changed = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (Escape(value) is { } escaped)
            {
                (changed ??= []).Add(new LogEventProperty(name, escaped));
            }
        }

        foreach (var property in changed ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    /// <summary>The text with its control characters escaped.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '\r' => "\\r",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    /// <summary>The value with its strings escaped; null when nothing needed escaping.</summary>
    private static LogEventPropertyValue? Escape(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string text } when text.Any(char.IsControl):
                return new ScalarValue(Escape(text));
            case SequenceValue sequence:
            {
                var items = sequence.Elements.Select(e => Escape(e)).ToList();
                return items.Any(i => i is not null) ? new SequenceValue(items.Select((item, i) => item ?? sequence.Elements[i])) : null;
            }

            case StructureValue structure:
            {
                var properties = structure.Properties.Select(p => (p, Escaped: Escape(p.Value))).ToList();
                return properties.Any(p => p.Escaped is not null)
                    ? new StructureValue(properties.Select(p => p.Escaped is null ? p.p : new LogEventProperty(p.p.Name, p.Escaped)), structure.TypeTag)
                    : null;
            }

            default:
                return null;
        }
    }
}
