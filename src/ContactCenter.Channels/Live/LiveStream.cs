using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ContactCenter.Channels.Live;

/// <summary>
/// <c>GET /api/live</c>: the user's events as <c>text/event-stream</c>, a comment line after
/// <see cref="LiveUpdatesOptions.HeartbeatInterval"/> without an event, and an <c>overflow</c>
/// event when the user's buffer dropped events (the browser should reload what it shows). The stream
/// ends when its user is no longer signed in (<see cref="ILiveSignInCheck"/>, <see cref="ILiveStreams"/>).
/// </summary>
internal static class LiveStream
{
    public static async Task RunAsync(HttpContext http, LiveHub hub, LiveUpdatesOptions options, IHostApplicationLifetime lifetime)
    {
        var lastEventId = LastEventId(http.Request);
        var response = http.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var cancellation = stop.Token;
        using var subscription = hub.Subscribe(http.User, lastEventId);
        var signIn = http.RequestServices.GetService<ILiveSignInCheck>();
        var text = new StringBuilder();
        long reportedDrops = 0;
        try
        {
            await WriteAsync(response, ": connected\nretry: 3000\n\n", cancellation).ConfigureAwait(false);
            while (!cancellation.IsCancellationRequested)
            {
                bool more;
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
                {
                    wait.CancelAfter(options.HeartbeatInterval);
                    try
                    {
                        more = await subscription.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                    {
                        if (!await StillSignedInAsync(signIn, http).ConfigureAwait(false))
                        {
                            return;
                        }

                        await WriteAsync(response, ": heartbeat\n\n", cancellation).ConfigureAwait(false);
                        continue;
                    }
                }

                if (!more || !await StillSignedInAsync(signIn, http).ConfigureAwait(false))
                {
                    return;
                }

                text.Clear();
                var dropped = subscription.Dropped;
                if (dropped > reportedDrops)
                {
                    text.Append(CultureInfo.InvariantCulture, $"event: overflow\ndata: {{\"dropped\":{dropped - reportedDrops}}}\n\n");
                    reportedDrops = dropped;
                }

                while (subscription.Reader.TryRead(out var e))
                {
                    text.Append(CultureInfo.InvariantCulture, $"id: {e.Id}\nevent: {e.Name}\ndata: {e.Json}\n\n");
                }

                await WriteAsync(response, text.ToString(), cancellation).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The browser went away or the server is stopping: a clean end of the stream.
        }
        catch (IOException)
        {
            // The connection broke mid-write.
        }
    }

    private static ValueTask<bool> StillSignedInAsync(ILiveSignInCheck? signIn, HttpContext http) =>
        signIn is null ? ValueTask.FromResult(true) : signIn.IsStillSignedInAsync(http);

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.WriteAsync(text, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static long? LastEventId(HttpRequest request)
    {
        var raw = request.Headers["Last-Event-ID"].ToString();
        if (string.IsNullOrEmpty(raw))
        {
            raw = request.Query["lastEventId"].ToString();
        }

        return long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }
}
