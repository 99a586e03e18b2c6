using ContactCenter.Modules.Calendar;

namespace ContactCenter.Hosting;

/// <summary>
/// The calendar module's thin file-reading edge, part of composing the host: reads <c>workflows/calendar/*.json</c> and
/// <c>workflows/sla-policies.json</c> and hands the text to the pure loaders.
/// </summary>
public static class CalendarFiles
{
    /// <summary>Every <c>*.json</c> in <paramref name="directory"/> as one holiday calendar (file order does not matter).</summary>
    /// <exception cref="CalendarDataException">A file is bad, or two files give the same year.</exception>
    public static HolidayCalendar LoadHolidays(string directory) => new(LoadHolidayYears(directory));

    /// <summary>Every <c>*.json</c> in <paramref name="directory"/>, one year each, ascending.</summary>
    /// <exception cref="CalendarDataException">A file is bad, or two files give the same year.</exception>
    public static IReadOnlyList<HolidayYear> LoadHolidayYears(string directory) =>
        HolidayCalendarLoader.CombineYears(
            Directory.EnumerateFiles(directory, "*.json")
                .Order(StringComparer.Ordinal)
                .Select(path => (Path.GetFileName(path), HolidayCalendarLoader.Parse(File.ReadAllText(path), Path.GetFileName(path)))));

    /// <exception cref="CalendarDataException">The file is bad.</exception>
    public static SlaConfiguration LoadSlaConfiguration(string path) =>
        SlaPolicyLoader.Parse(File.ReadAllText(path), Path.GetFileName(path));

    /// <summary>
    /// The working calendar and the SLA policies of a workflows folder: <c>calendar/*.json</c>
    /// for holidays, <c>sla-policies.json</c> for the working week and the policies.
    /// </summary>
    /// <exception cref="CalendarDataException">A file is bad.</exception>
    public static (WorkingCalendar Calendar, SlaPolicySet Policies) LoadWorkflowsFolder(string workflowsDirectory)
    {
        var holidays = LoadHolidays(Path.Combine(workflowsDirectory, "calendar"));
        var configuration = LoadSlaConfiguration(Path.Combine(workflowsDirectory, "sla-policies.json"));
        return (new WorkingCalendar(holidays, configuration.Calendar), configuration.Policies);
    }
}
