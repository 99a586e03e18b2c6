using System.Text.Json;

namespace ContactCenter.Modules.Calendar;

/// <summary>
/// Reads one year of calendar data (<c>workflows/calendar/2026.json</c>):
/// <c>{ "year": 2026, "source": "...", "entries": [ { "date": "2026-01-01", "kind": "nationalHoliday", "name": "..." } ] }</c>.
/// <c>kind</c> is <c>nationalHoliday</c> or <c>cutiBersama</c>. Unknown fields are errors.
/// </summary>
public static class HolidayCalendarLoader
{
    /// <summary>A holiday's name is a label for people; longer than this is a mistake (a pasted paragraph).</summary>
    public const int MaxNameLength = 200;

    /// <summary>Parses one year file.</summary>
    /// <param name="json">The file's text.</param>
    /// <param name="fileName">Named in every error message.</param>
    /// <exception cref="CalendarDataException">The text is not valid JSON, a field is missing, misspelt or wrong, or a date is listed twice or outside the year.</exception>
    public static HolidayYear Parse(string json, string fileName)
    {
        var reader = new DataReader(fileName);
        using var document = reader.Parse(json);
        var root = document.RootElement;
        reader.ExpectObject(root, null);
        reader.OnlyFields(root, null, "year", "source", "entries");
        var year = reader.RequiredInt(root, null, "year");
        if (year is < 1900 or > 9999)
        {
            throw reader.Error(null, "year", $"{year} is not a plausible year");
        }

        var source = reader.OptionalString(root, null, "source");
        var entries = new List<HolidayEntry>();
        var seen = new Dictionary<NodaTime.LocalDate, string>();
        var index = 0;
        foreach (var element in reader.Required(root, null, "entries", JsonValueKind.Array).EnumerateArray())
        {
            var entry = $"entries[{index++}]";
            reader.ExpectObject(element, entry);
            reader.OnlyFields(element, entry, "date", "kind", "name");
            var date = reader.ParseDate(reader.RequiredString(element, entry, "date"), entry, "date");
            if (date.Year != year)
            {
                throw reader.Error(entry, "date", $"{date:uuuu-MM-dd} is not in the file's year {year}");
            }

            if (seen.TryGetValue(date, out var first))
            {
                throw reader.Error(entry, "date", $"{date:uuuu-MM-dd} is already listed as {first}");
            }

            seen.Add(date, entry);
            var kindText = reader.RequiredString(element, entry, "kind");
            var kind = kindText switch
            {
                "nationalHoliday" => HolidayKind.NationalHoliday,
                "cutiBersama" => HolidayKind.CutiBersama,
                _ => throw reader.Error(entry, "kind", $"'{kindText}' is not a kind (nationalHoliday, cutiBersama)"),
            };
            var name = reader.RequiredString(element, entry, "name");
            if (name.Length > MaxNameLength)
            {
                throw reader.Error(entry, "name", $"is {name.Length} characters long; at most {MaxNameLength}");
            }

            entries.Add(new HolidayEntry(date, kind, name));
        }

        return new HolidayYear(year, source, entries);
    }

    /// <summary>
    /// The year in the file format <see cref="Parse"/> reads (entries by date, indented, Indonesian
    /// names unescaped): what an administrator exports, edits and imports again.
    /// </summary>
    public static string Write(HolidayYear year)
    {
        ArgumentNullException.ThrowIfNull(year);
        var buffer = new System.IO.MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("year", year.Year);
            if (year.Source is not null)
            {
                writer.WriteString("source", year.Source);
            }

            writer.WriteStartArray("entries");
            foreach (var entry in year.Entries.OrderBy(e => e.Date))
            {
                writer.WriteStartObject();
                writer.WriteString("date", entry.Date.ToString("uuuu-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                writer.WriteString("kind", entry.Kind == HolidayKind.NationalHoliday ? "nationalHoliday" : "cutiBersama");
                writer.WriteString("name", entry.Name);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Parses one year file from a stream (read to its end as UTF-8; not disposed).</summary>
    /// <exception cref="CalendarDataException">As <see cref="Parse"/>.</exception>
    public static HolidayYear Load(Stream stream, string fileName)
    {
        using var text = new StreamReader(stream, leaveOpen: true);
        return Parse(text.ReadToEnd(), fileName);
    }

    /// <summary>Combines year files into one calendar.</summary>
    /// <exception cref="CalendarDataException">Two files give the same year.</exception>
    public static HolidayCalendar Combine(IEnumerable<(string FileName, HolidayYear Year)> files) => new(CombineYears(files));

    /// <summary>The years of several files, ascending, each year given once.</summary>
    /// <exception cref="CalendarDataException">Two files give the same year.</exception>
    public static IReadOnlyList<HolidayYear> CombineYears(IEnumerable<(string FileName, HolidayYear Year)> files)
    {
        var byYear = new Dictionary<int, string>();
        var years = new List<HolidayYear>();
        foreach (var (fileName, year) in files)
        {
            if (byYear.TryGetValue(year.Year, out var other))
            {
                throw new CalendarDataException(fileName, null, "year", $"{year.Year} is already given by {other}");
            }

            byYear.Add(year.Year, fileName);
            years.Add(year);
        }

        return [.. years.OrderBy(y => y.Year)];
    }
}
