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
internal sealed class ApiExceptionHandler(IProblemDetailsService problems, SecurityLog security, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
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

    private static HttpValidationProblemDetails InvalidDefinition(CatalogException catalog)
    {
        var problem = new HttpValidationProblemDetails(
            catalog.Problems
                .GroupBy(p => p.ElementId ?? $"line {p.Line}", StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(p => $"line {p.Line}: {p.Message}").ToArray(), StringComparer.Ordinal))
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Invalid BPMN",
            Detail = $"The definition has {catalog.Problems.Count} problem(s).",
        };
        problem.Extensions["problems"] = catalog.Problems.Select(p => new { elementId = p.ElementId, line = p.Line, message = p.Message, text = p.ToString() }).ToList();
        return problem;
    }

    private static ProblemDetails BadRequest(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            return JsonProblem(json);
        }

        return bad.StatusCode == StatusCodes.Status413PayloadTooLarge
            ? Problem(413, "Request body too large", bad.Message)
            : Problem(bad.StatusCode, "Bad request", bad.Message);
    }

    private static HttpValidationProblemDetails JsonProblem(JsonException json)
    {
        var field = string.IsNullOrEmpty(json.Path) ? "$" : json.Path;
        return new HttpValidationProblemDetails(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [json.Message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Malformed JSON",
            Detail = json.Message,
        };
    }

    private static HttpValidationProblemDetails Validation(string field, string message) =>
        new(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more validation errors occurred.",
            Detail = message,
        };

    private static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };
}
