using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Server.Api;

/// <summary>A request body read as text, for the routes that take a document (BPMN XML, a calendar year file).</summary>
public static class RequestText
{
    /// <summary>
    /// The body as UTF-8 text. Invalid UTF-8 is refused (400, with the offset of the first bad
    /// byte), as the CLI refuses such a file, instead of being read with replacement characters
    /// where the bad bytes were.
    /// </summary>
    public static async Task<(string? Text, ProblemHttpResult? Problem)> ReadUtf8Async(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            using var reader = new StreamReader(request.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
            return (await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false), null);
        }
        catch (DecoderFallbackException e)
        {
            return (null, TypedResults.Problem(statusCode: 400, title: "Not UTF-8", detail: $"the body is not UTF-8 text (invalid bytes at offset {e.Index})"));
        }
    }
}
