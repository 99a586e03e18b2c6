using System.Reflection;
using System.Text.Json;

namespace ContactCenter.Server.Api;

/// <summary>
/// Dates from clients must fall in 1900-01-01 … 2199-12-31 (UTC). Outside that the calendar,
/// greetings and SLA arithmetic overflow (year 9999 plus a time zone offset is past
/// <see cref="DateTimeOffset.MaxValue"/>), and no conversation, holiday or SOP version lives there:
/// such a date is a client's mistake, answered with 400 naming the field.
/// </summary>
/// <remarks>
/// <see cref="Filter"/> is an endpoint filter factory added to every API route: it looks at the
/// handler's <see cref="DateTimeOffset"/> parameters and the <see cref="DateTimeOffset"/>
/// properties of its body records once, at start-up, so a new route with a date is covered
/// without remembering to check it.
/// </remarks>
public static class DateBounds
{
    public static readonly DateTimeOffset Earliest = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Latest = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static bool IsSane(DateTimeOffset value) => value >= Earliest && value < Latest;

    /// <summary>The message for a date out of range.</summary>
    public static string Message(DateTimeOffset value) =>
        $"{value:O} is outside the dates this server handles (1900-01-01 to 2199-12-31)";

    public static EndpointFilterDelegate Filter(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        var readers = new List<(int Index, Func<object?, IEnumerable<(string Field, DateTimeOffset Value)>> Dates)>();
        var parameters = context.MethodInfo.GetParameters();
        for (var i = 0; i < parameters.Length; i++)
        {
            if (ReaderOf(parameters[i]) is { } reader)
            {
                readers.Add((i, reader));
            }
        }

        if (readers.Count == 0)
        {
            return next;
        }

        return invocation =>
        {
            Dictionary<string, string[]>? errors = null;
            foreach (var (index, dates) in readers)
            {
                if (index >= invocation.Arguments.Count)
                {
                    continue;
                }

                foreach (var (field, value) in dates(invocation.Arguments[index]))
                {
                    if (!IsSane(value))
                    {
                        errors ??= new Dictionary<string, string[]>(StringComparer.Ordinal);
                        errors[field] = [Message(value)];
                    }
                }
            }

            return errors is null ? next(invocation) : ValueTask.FromResult<object?>(TypedResults.ValidationProblem(errors));
        };
    }

    private static Func<object?, IEnumerable<(string, DateTimeOffset)>>? ReaderOf(ParameterInfo parameter)
    {
        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        var name = parameter.Name ?? "value";
        if (type == typeof(DateTimeOffset))
        {
            return value => value is DateTimeOffset d ? [(name, d)] : [];
        }

        // A body record of ours: its date properties, by their JSON names.
        if (type.IsClass && type.Namespace?.StartsWith("ContactCenter", StringComparison.Ordinal) == true)
        {
            var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => (Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType) == typeof(DateTimeOffset) && p.GetIndexParameters().Length == 0)
                .ToList();
            if (properties.Count > 0)
            {
                return value => value is null ? [] : properties
                    .Select(p => (Name: JsonNamingPolicy.CamelCase.ConvertName(p.Name), Value: p.GetValue(value)))
                    .Where(p => p.Value is DateTimeOffset)
                    .Select(p => (p.Name, (DateTimeOffset)p.Value!));
            }
        }

        return null;
    }
}
