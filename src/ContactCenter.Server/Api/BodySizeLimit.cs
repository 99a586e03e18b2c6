using ContactCenter.Server.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace ContactCenter.Server.Api;

/// <summary>An endpoint's own request body limit, in bytes (otherwise <see cref="ServerOptions.MaxJsonBodyBytes"/>).</summary>
public sealed record BodySizeLimit(long Bytes);

public static class BodySizeLimitExtensions
{
    /// <summary>Gives an endpoint its own body limit (the BPMN upload's 4 MiB, say).</summary>
    public static TBuilder WithBodySizeLimit<TBuilder>(this TBuilder builder, long bytes)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new BodySizeLimit(bytes));

    /// <summary>
    /// Refuses a body larger than the endpoint's limit with a 413 problem before it is read, and
    /// caps a body without Content-Length at the same size (the server throws 413 when it is exceeded).
    /// </summary>
    public static IApplicationBuilder UseBodySizeLimits(this IApplicationBuilder app, ServerOptions settings) =>
        app.Use(async (context, next) =>
        {
            var limit = context.GetEndpoint()?.Metadata.GetMetadata<BodySizeLimit>()?.Bytes ?? settings.MaxJsonBodyBytes;
            if (context.Request.ContentLength > limit)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status413PayloadTooLarge,
                        Title = "Request body too large",
                        Detail = $"The body has {context.Request.ContentLength} bytes; this endpoint takes at most {limit}.",
                    },
                }).ConfigureAwait(false);
                return;
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = limit;
            }

            await next(context).ConfigureAwait(false);
        });
}
