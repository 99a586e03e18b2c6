using System.Globalization;
using ContactCenter.Channels.Notifications;
using ContactCenter.Runtime.Storage;
using ContactCenter.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Server.Api;

/// <summary>
/// A signed-in user's notifications (SLA alerts, dispatched tickets, reservation requests): those
/// still waiting and those acknowledged in the last day, and acknowledging one. Each notification
/// names its audience (the Team Leader role, the task's lane role, the ticket's unit, an agent);
/// a user sees, and may acknowledge, only those meant for them: another's is 404, as if absent.
/// </summary>
public static class NotificationEndpoints
{
    /// <summary>How long an acknowledged notification still shows, so a team sees who took it.</summary>
    public static readonly TimeSpan RecentlyAcknowledged = TimeSpan.FromHours(24);

    /// <summary>Most notifications listed.</summary>
    public const int MaxListed = 200;

    public static IEndpointRouteBuilder MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/notifications").WithTags("Notifications").RequireAuthorization(Policies.SignedIn);
        group.MapGet("", ListAsync)
            .WithName("Notifications")
            .WithSummary("The user's notifications still waiting, and those acknowledged in the last 24 hours; newest first (at most 200).");
        group.MapPost("/{notificationId:guid}/acknowledge", AcknowledgeAsync)
            .WithName("AcknowledgeNotification")
            .WithSummary("Acknowledges a notification meant for the user; 409 with who and when if someone already did.")
            .ProducesProblem(404)
            .ProducesProblem(409);
        return app;
    }

    private static async Task<Ok<IReadOnlyList<NotificationView>>> ListAsync(HttpContext http, INotificationStore notifications, TimeProvider clock, CancellationToken cancellationToken)
    {
        var principals = NotificationReaders.PrincipalsOf(http.User);
        var listed = await notifications.ListAsync([.. principals], clock.GetUtcNow() - RecentlyAcknowledged, MaxListed, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<NotificationView>>([.. listed.Select(NotificationView.Of)]);
    }

    private static async Task<Results<Ok<NotificationView>, ProblemHttpResult>> AcknowledgeAsync(Guid notificationId, HttpContext http, CurrentUser user, INotificationStore notifications, TimeProvider clock, CancellationToken cancellationToken)
    {
        var notification = await notifications.GetAsync(notificationId, cancellationToken).ConfigureAwait(false);
        if (notification is null || !NotificationReaders.IsFor(notification, [.. NotificationReaders.PrincipalsOf(http.User)]))
        {
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"notification {notificationId} does not exist or is not meant for you");
        }

        var outcome = await notifications.AcknowledgeAsync(notificationId, user.UserName, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var now = await notifications.GetAsync(notificationId, cancellationToken).ConfigureAwait(false);
        return outcome switch
        {
            AcknowledgeOutcome.Acknowledged => TypedResults.Ok(NotificationView.Of(now!)),
            AcknowledgeOutcome.AlreadyAcknowledged => TypedResults.Problem(
                statusCode: 409,
                title: "Already acknowledged",
                detail: string.Create(CultureInfo.InvariantCulture, $"notification {notificationId} was acknowledged by {now?.AcknowledgedBy} at {now?.AcknowledgedAt:O}"),
                extensions: new Dictionary<string, object?> { ["acknowledgedBy"] = now?.AcknowledgedBy, ["acknowledgedAt"] = now?.AcknowledgedAt }),
            _ => TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"notification {notificationId} does not exist"),
        };
    }
}
