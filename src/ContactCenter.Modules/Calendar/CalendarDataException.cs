namespace ContactCenter.Modules.Calendar;

/// <summary>
/// A calendar or SLA policy data file is malformed or says something impossible. The message
/// reads <c>file: entry.field: problem</c>, e.g. <c>2026.json: entries[3].date: '2026-02-30' is not a date (yyyy-MM-dd)</c>.
/// </summary>
public sealed class CalendarDataException : Exception
{
    public CalendarDataException()
    {
    }

    public CalendarDataException(string message)
        : base(message)
    {
    }

    public CalendarDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CalendarDataException(string fileName, string? entry, string? field, string problem, Exception? innerException = null)
        : base(Format(fileName, entry, field, problem), innerException)
    {
        FileName = fileName;
        Entry = entry;
        Field = field;
        Problem = problem;
    }

    /// <summary>The name the caller gave the data (usually the file name).</summary>
    public string? FileName { get; }

    /// <summary>The entry at fault, e.g. <c>entries[3]</c> or <c>policies[0]</c>; null for the whole file.</summary>
    public string? Entry { get; }

    /// <summary>The field at fault within the entry, e.g. <c>date</c>; null when the entry as a whole is at fault.</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string? Problem { get; }

    private static string Format(string fileName, string? entry, string? field, string problem)
    {
        var where = (entry, field) switch
        {
            (null, null) => string.Empty,
            (null, _) => field + ": ",
            (_, null) => entry + ": ",
            _ => entry + "." + field + ": ",
        };
        return $"{fileName}: {where}{problem}";
    }
}
