using System.Text.Json;
using NodaTime;

namespace ContactCenter.Modules.Calendar;

/// <summary>The contents of <c>workflows/sla-policies.json</c>: the working week and the ticket policies.</summary>
public sealed record SlaConfiguration(WorkingCalendarOptions Calendar, SlaPolicySet Policies);

/// <summary>
/// Reads <c>workflows/sla-policies.json</c> (format in docs/calendar-and-sla.md): an optional
/// <c>calendar</c> object (timeZone, workdayStart, workdayEnd, workingDays, cutiBersamaIsDayOff),
/// <c>policies</c> (name, category, priority, firstResponse, resolution, extension, extensible,
/// warningShare) and <c>timers</c> (cc:slaPolicy name → policy and point). A target is
/// <c>{ "workingDays": n }</c> or <c>{ "workingHours": n }</c>; optional <c>categories</c> and
/// <c>priorities</c>, the values a ticket may take (the console's lists). Unknown fields are errors.
/// </summary>
public static class SlaPolicyLoader
{
    /// <exception cref="CalendarDataException">The text is not valid JSON, or a field is missing, misspelt or wrong.</exception>
    public static SlaConfiguration Parse(string json, string fileName)
    {
        var reader = new DataReader(fileName);
        using var document = reader.Parse(json);
        var root = document.RootElement;
        reader.ExpectObject(root, null);
        reader.OnlyFields(root, null, "calendar", "policies", "timers", "categories", "priorities");
        var calendar = reader.Optional(root, null, "calendar", JsonValueKind.Object) is { } c ? ReadCalendar(reader, c) : new WorkingCalendarOptions();

        var policies = new List<SlaPolicy>();
        var index = 0;
        foreach (var element in reader.Required(root, null, "policies", JsonValueKind.Array).EnumerateArray())
        {
            policies.Add(ReadPolicy(reader, element, $"policies[{index++}]", policies));
        }

        var timers = new List<SlaTimerPolicy>();
        if (reader.Optional(root, null, "timers", JsonValueKind.Object) is { } timersElement)
        {
            foreach (var property in timersElement.EnumerateObject())
            {
                timers.Add(ReadTimer(reader, property, policies));
            }
        }

        try
        {
            return new SlaConfiguration(calendar, new SlaPolicySet(policies, timers)
            {
                Categories = ReadNames(reader, root, "categories"),
                Priorities = ReadNames(reader, root, "priorities"),
            });
        }
        catch (ArgumentException e)
        {
            throw new CalendarDataException(fileName, "policies", null, e.Message.Split(" (Parameter", 2)[0], e);
        }
    }

    /// <summary>Parses from a stream (read to its end as UTF-8; not disposed).</summary>
    /// <exception cref="CalendarDataException">As <see cref="Parse"/>.</exception>
    public static SlaConfiguration Load(Stream stream, string fileName)
    {
        using var text = new StreamReader(stream, leaveOpen: true);
        return Parse(text.ReadToEnd(), fileName);
    }

    private static string[] ReadNames(DataReader reader, JsonElement root, string field)
    {
        if (reader.Optional(root, null, field, JsonValueKind.Array) is not { } array)
        {
            return [];
        }

        var names = new List<string>();
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
            {
                throw reader.Error(null, field, $"{DataReader.Describe(item)} is not a name");
            }

            if (names.Contains(item.GetString()!, StringComparer.Ordinal))
            {
                throw reader.Error(null, field, $"'{item.GetString()}' is listed twice");
            }

            names.Add(item.GetString()!);
        }

        return [.. names];
    }

    private static WorkingCalendarOptions ReadCalendar(DataReader reader, JsonElement element)
    {
        const string entry = "calendar";
        reader.OnlyFields(element, entry, "timeZone", "workdayStart", "workdayEnd", "workingDays", "cutiBersamaIsDayOff");
        var defaults = new WorkingCalendarOptions();
        var zone = reader.OptionalString(element, entry, "timeZone") ?? defaults.TimeZoneId;
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) is null)
        {
            throw reader.Error(entry, "timeZone", $"'{zone}' is not an IANA time zone id (e.g. Asia/Jakarta)");
        }

        var start = reader.OptionalString(element, entry, "workdayStart") is { } s ? reader.ParseTime(s, entry, "workdayStart") : defaults.WorkdayStart;
        var end = reader.OptionalString(element, entry, "workdayEnd") is { } e ? reader.ParseTime(e, entry, "workdayEnd") : defaults.WorkdayEnd;
        if (end <= start)
        {
            throw reader.Error(entry, "workdayEnd", $"{end:HH':'mm} is not after workdayStart {start:HH':'mm}");
        }

        var days = defaults.WorkingDays;
        if (reader.Optional(element, entry, "workingDays", JsonValueKind.Array) is { } list)
        {
            var set = new HashSet<IsoDayOfWeek>();
            foreach (var day in list.EnumerateArray())
            {
                var name = day.ValueKind == JsonValueKind.String ? day.GetString() : null;
                if (name is null || !Enum.TryParse<IsoDayOfWeek>(name, ignoreCase: true, out var parsed) || parsed == IsoDayOfWeek.None || int.TryParse(name, out _))
                {
                    throw reader.Error(entry, "workingDays", $"{DataReader.Describe(day)} is not a day of the week (monday … sunday)");
                }

                set.Add(parsed);
            }

            days = set.Count > 0 ? set : throw reader.Error(entry, "workingDays", "must name at least one day");
        }

        var cuti = reader.Optional(element, entry, "cutiBersamaIsDayOff", JsonValueKind.True)?.GetBoolean() ?? defaults.CutiBersamaIsDayOff;
        return new WorkingCalendarOptions { TimeZoneId = zone, WorkdayStart = start, WorkdayEnd = end, WorkingDays = days, CutiBersamaIsDayOff = cuti };
    }

    private static SlaPolicy ReadPolicy(DataReader reader, JsonElement element, string entry, List<SlaPolicy> earlier)
    {
        reader.ExpectObject(element, entry);
        reader.OnlyFields(element, entry, "name", "category", "priority", "firstResponse", "resolution", "extension", "extensible", "warningShare");
        var name = reader.RequiredString(element, entry, "name");
        if (earlier.Any(p => p.Name == name))
        {
            throw reader.Error(entry, "name", $"'{name}' is already defined");
        }

        var share = reader.OptionalDecimal(element, entry, "warningShare") ?? SlaPolicy.DefaultWarningShare;
        if (share is <= 0 or >= 1)
        {
            throw reader.Error(entry, "warningShare", $"{share} is not between 0 and 1 (exclusive)");
        }

        var extensible = reader.Optional(element, entry, "extensible", JsonValueKind.True)?.GetBoolean() ?? true;
        var extension = ReadTarget(reader, element, entry, "extension") ?? SlaPolicy.DefaultExtension;
        if (!extensible && element.TryGetProperty("extension", out _))
        {
            throw reader.Error(entry, "extension", "is given but extensible is false");
        }

        return new SlaPolicy(
            name,
            reader.OptionalString(element, entry, "category") ?? SlaPolicy.Any,
            reader.OptionalString(element, entry, "priority") ?? SlaPolicy.Any,
            ReadTarget(reader, element, entry, "firstResponse") ?? SlaPolicy.DefaultFirstResponse,
            ReadTarget(reader, element, entry, "resolution") ?? SlaPolicy.DefaultResolution,
            extensible ? extension : null,
            share);
    }

    private static SlaTarget? ReadTarget(DataReader reader, JsonElement policy, string entry, string field)
    {
        if (reader.Optional(policy, entry, field, JsonValueKind.Object) is not { } target)
        {
            return null;
        }

        var where = $"{entry}.{field}";
        reader.OnlyFields(target, where, "workingDays", "workingHours");
        var days = reader.OptionalDecimal(target, where, "workingDays");
        var hours = reader.OptionalDecimal(target, where, "workingHours");
        var (amount, unit, unitField) = (days, hours) switch
        {
            ({ } d, null) => (d, SlaUnit.WorkingDays, "workingDays"),
            (null, { } h) => (h, SlaUnit.WorkingHours, "workingHours"),
            _ => throw reader.Error(entry, field, "needs exactly one of workingDays, workingHours"),
        };
        return amount > 0 ? new SlaTarget(amount, unit) : throw reader.Error(where, unitField, $"{amount} is not a positive amount");
    }

    private static SlaTimerPolicy ReadTimer(DataReader reader, JsonProperty property, List<SlaPolicy> policies)
    {
        var entry = $"timers.{property.Name}";
        reader.ExpectObject(property.Value, entry);
        reader.OnlyFields(property.Value, entry, "policy", "point");
        var policy = reader.RequiredString(property.Value, entry, "policy");
        if (policy != SlaTimerPolicy.ByTicket && policies.All(p => p.Name != policy))
        {
            throw reader.Error(entry, "policy", $"'{policy}' is neither a policy in this file nor '{SlaTimerPolicy.ByTicket}'");
        }

        var pointText = reader.RequiredString(property.Value, entry, "point");
        var point = pointText switch
        {
            "firstResponse" => SlaTimerPoint.FirstResponse,
            "warning" => SlaTimerPoint.Warning,
            "breach" => SlaTimerPoint.Breach,
            _ => throw reader.Error(entry, "point", $"'{pointText}' is not a point (firstResponse, warning, breach)"),
        };
        return new SlaTimerPolicy(property.Name, policy, point);
    }
}
