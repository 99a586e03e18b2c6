using System.Text.Json;
using ContactCenter.Engine;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;
using ContactCenter.Server.Security;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ContactCenter.Server.Api;

/// <summary>
/// Turns the runtime's and the framework's exceptions for a client's mistake into RFC 7807
/// problem details: unknown ids 404, stale versions and wrong catalogue status 409, four-eyes
/// violations 403 (and a security event), invalid BPMN 422 with every problem, malformed or
/// oversized bodies 400/413. Anything else stays a 500.
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, SecurityLog security, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = ToProblem(httpContext, exception);
        if (problem is null)
        {
            return false;
        }

        if (problem.Status >= 500)
        {
            return false;
        }

        logger.LogInformation("{Method} {Path} answered {StatusCode}: {Detail}", httpContext.Request.Method, httpContext.Request.Path.Value, problem.Status, problem.Detail);
        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception }).ConfigureAwait(false);
    }

    private ProblemDetails? ToProblem(HttpContext context, Exception exception)
    {
        switch (exception)
        {
            case CatalogException catalog:
                return catalog.Error switch
                {
                    CatalogError.NotFound => Problem(404, "Not found", catalog.Message),
                    CatalogError.InvalidDefinition => InvalidDefinition(catalog),
                    CatalogError.WrongStatus => Problem(409, "Wrong status", catalog.Message),
                    CatalogError.Conflict => Problem(409, "Conflict", catalog.Message),
                    CatalogError.SamePerson or CatalogError.NotAllowed => Denied(context, catalog.Message),
                    _ => null,
                };
            case MigrationException migration:
                return migration.Error switch
                {
                    MigrationError.NotFound => Problem(404, "Not found", migration.Message),
                    MigrationError.InvalidMapping => InvalidMapping(migration),
                    MigrationError.WrongStatus => Problem(409, "Wrong status", migration.Message),
                    MigrationError.Conflict => Problem(409, "Conflict", migration.Message),
                    MigrationError.SamePerson => Denied(context, migration.Message),
                    MigrationError.NotAllowed => Validation("$", migration.Message),
                    _ => null,
                };
            case InstanceNotFoundException notFound:
                return Problem(404, "Not found", notFound.Message);
            case ConcurrencyConflictException conflict:
                return Problem(409, "Stale version", conflict.Message);
            case WorkflowCommandRejectedException rejected:
                return Rejected(rejected);
            case BadHttpRequestException bad:
                return BadRequest(bad);
            case JsonException json:
                return JsonProblem(json);
            default:
                return null;
        }
    }

    private ProblemDetails Denied(HttpContext context, string reason)
    {
        security.Denied(context, reason);
        return Problem(403, "Forbidden", reason);
    }

    private static ProblemDetails Rejected(WorkflowCommandRejectedException rejected) => rejected.Reason switch
    {
        RejectionReason.UnknownDefinition => Problem(404, "Not found", rejected.Message),
        RejectionReason.UnknownWorkItem => Problem(409, "Task not open", rejected.Message),
        RejectionReason.NotRunning or RejectionReason.AlreadyStarted => Problem(409, "Instance not running", rejected.Message),
        RejectionReason.OutcomeRequired or RejectionReason.OutcomeNotAllowed => Validation("outcome", rejected.Message),
        RejectionReason.MissingFields or RejectionReason.InvalidData => Validation("data", rejected.Message),
        _ => Problem(400, "Rejected", rejected.Message),
    };

    /// <summary>The most problems an invalid definition's answer lists. Default is 200: a hostile draft had 90,000 (an 89.8 MB answer).</summary>
    public const int MaxProblemsListed = 200;

    private static HttpValidationProblemDetails InvalidDefinition(CatalogException catalog)
    {
        var listed = catalog.Problems.Take(MaxProblemsListed).ToList();
        var problem = new HttpValidationProblemDetails(
            listed
                .GroupBy(p => p.ElementId ?? $"line {p.Line}", StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(p => $"line {p.Line}: {p.Message}").ToArray(), StringComparer.Ordinal))
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Invalid BPMN",
            Detail = catalog.Problems.Count > listed.Count
                ? $"The definition has {catalog.Problems.Count} problems; the first {listed.Count} are listed."
                : $"The definition has {catalog.Problems.Count} problem(s).",
        };
        problem.Extensions["totalProblems"] = catalog.Problems.Count;
        problem.Extensions["problems"] = listed.Select(p => new { elementId = p.ElementId, line = p.Line, message = p.Message, text = p.ToString() }).ToList();
        return problem;
    }

    /// <summary>A mapping refused: 422, with every problem by the element it names.</summary>
    private static HttpValidationProblemDetails InvalidMapping(MigrationException migration)
    {
        var problem = new HttpValidationProblemDetails(
            migration.Problems
                .GroupBy(p => p.ElementId ?? "mapping", StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray(), StringComparer.Ordinal))
        {
            Status = 422,
            Title = "Invalid mapping",
            Detail = migration.Message,
        };
        problem.Extensions["problems"] = migration.Problems.Take(MaxProblemsListed).Select(p => new { elementId = p.ElementId, message = p.Message }).ToList();
        return problem;
    }

    private static ProblemDetails BadRequest(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            return JsonProblem(json);
        }

        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problem(413, "Request body too large", bad.Message);
        }

        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return Problem(415, "Unsupported media type", "Send the body as JSON with 'Content-Type: application/json'.");
        }

        // The framework's own wording names .NET types and parameters ("Implicit body inferred for
        // parameter ... Did you mean to use a Service instead?"); the client gets the field instead.
        var message = bad.Message;
        if (EmptyBody().Match(message) is { Success: true })
        {
            return Validation("$", "a JSON object is required: the request body is empty");
        }

        if (FailedBind().Match(message) is { Success: true } bind)
        {
            return Validation(bind.Groups["name"].Value, $"'{bind.Groups["value"].Value}' is not {Friendly(bind.Groups["type"].Value)}");
        }

        if (MissingParameter().Match(message) is { Success: true } missing)
        {
            return Validation(missing.Groups["name"].Value, "required");
        }

        return Problem(bad.StatusCode, "Bad request", NamedType().IsMatch(message) ? "The request could not be read." : message);
    }

    private static HttpValidationProblemDetails JsonProblem(JsonException json)
    {
        var field = string.IsNullOrEmpty(json.Path) ? "$" : json.Path;
        var message = CleanJsonMessage(json, field);
        return new HttpValidationProblemDetails(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Malformed JSON",
            Detail = message,
        };
    }

    /// <summary>System.Text.Json's message without the .NET type names it carries.</summary>
    internal static string CleanJsonMessage(JsonException json, string field)
    {
        var where = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine ?? 0})" : string.Empty;
        var message = json.Message;
        if (UnmappedMember().Match(message) is { Success: true } unmapped)
        {
            return $"'{unmapped.Groups["name"].Value}' is not a field of this request{where}";
        }

        if (NotConverted().Match(message) is { Success: true } converted)
        {
            return field == "$"
                ? $"a JSON object is expected{where}"
                : $"{field} must be {Friendly(converted.Groups["type"].Value)}{where}";
        }

        return NamedType().IsMatch(message) ? $"malformed JSON at {field}{where}" : message;
    }

    /// <summary>A .NET type as a client understands it.</summary>
    private static string Friendly(string type)
    {
        var bare = type.TrimEnd('?').Replace("System.", string.Empty, StringComparison.Ordinal);
        if (bare.StartsWith("Nullable<", StringComparison.Ordinal) && bare.EndsWith('>'))
        {
            bare = bare["Nullable<".Length..^1];
        }

        return bare switch
        {
            "String" or "string" => "text",
            "Int32" or "int" or "Int64" or "long" or "Decimal" or "decimal" or "Double" or "double" => "a number",
            "Boolean" or "bool" => "true or false",
            "DateTimeOffset" or "DateTime" => "a date and time (ISO 8601, e.g. 2026-03-02T09:00:00+07:00)",
            "Guid" => "an id (a GUID)",
            _ when bare.StartsWith("Dictionary", StringComparison.Ordinal) || bare.StartsWith("IReadOnlyDictionary", StringComparison.Ordinal) || bare.StartsWith("Collections.Generic.Dictionary", StringComparison.Ordinal) => "a JSON object",
            _ when bare.Contains("[]", StringComparison.Ordinal) || bare.Contains("List", StringComparison.Ordinal) => "a JSON array",
            _ when bare.Contains('.', StringComparison.Ordinal) || bare.Contains('+', StringComparison.Ordinal) => "a JSON object",
            _ => "a value of the right kind",
        };
    }

    [System.Text.RegularExpressions.GeneratedRegex("^Implicit body inferred for parameter|no body was provided|Required parameter \\\"[^\\\"]* \\w+\\\" was not provided from body")]
    private static partial System.Text.RegularExpressions.Regex EmptyBody();

    [System.Text.RegularExpressions.GeneratedRegex("^Failed to bind parameter \\\"(?<type>.+) (?<name>\\w+)\\\" from \\\"(?<value>.*)\\\"\\.$", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex FailedBind();

    [System.Text.RegularExpressions.GeneratedRegex("^Required parameter \\\"(?<type>.+) (?<name>\\w+)\\\" was not provided")]
    private static partial System.Text.RegularExpressions.Regex MissingParameter();

    [System.Text.RegularExpressions.GeneratedRegex("The JSON property '(?<name>[^']*)' could not be mapped")]
    private static partial System.Text.RegularExpressions.Regex UnmappedMember();

    [System.Text.RegularExpressions.GeneratedRegex("could not be converted to (?<type>[^.\\s]+(\\.[^.\\s]+)*)\\.")]
    private static partial System.Text.RegularExpressions.Regex NotConverted();

    /// <summary>A .NET type or namespace name in a message (System.*, ContactCenter.*, Nested+Type).</summary>
    [System.Text.RegularExpressions.GeneratedRegex("(System|ContactCenter|Microsoft)\\.[A-Za-z]|\\w\\+\\w|\\.NET")]
    private static partial System.Text.RegularExpressions.Regex NamedType();

    private static HttpValidationProblemDetails Validation(string field, string message) =>
        new(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more validation errors occurred.",
            Detail = message,
        };

    private static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };
}
