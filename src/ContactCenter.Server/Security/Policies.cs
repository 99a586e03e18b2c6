using Microsoft.AspNetCore.Authorization;

namespace ContactCenter.Server.Security;

/// <summary>
/// Authorization policy names. One policy per role (the role alone), plus the composite ones the
/// API uses. Every endpoint without a policy still needs a signed-in user (the fallback policy).
/// </summary>
public static class Policies
{
    public const string SignedIn = "SignedIn";
    public const string Agent = "Role:" + Roles.Agent;
    public const string Tier2 = "Role:" + Roles.Tier2;
    public const string RelatedTeam = "Role:" + Roles.RelatedTeam;
    public const string TeamLeader = "Role:" + Roles.TeamLeader;
    public const string QualityControl = "Role:" + Roles.QualityControl;
    public const string ProcessOwner = "Role:" + Roles.ProcessOwner;
    public const string Reviewer = "Role:" + Roles.Reviewer;
    public const string Approver = "Role:" + Roles.Approver;
    public const string Admin = "Role:" + Roles.Admin;

    /// <summary>Reads conversations and their journals: agents (their own only, checked per instance), Tier 2, team leaders, QC, admins.</summary>
    public const string ReadConversations = "ReadConversations";

    /// <summary>Cancels a conversation: its agent, a team leader or an admin.</summary>
    public const string CancelConversations = "CancelConversations";

    /// <summary>Publishes or retires an approved definition version: process owners, approvers, admins.</summary>
    public const string PublishDefinitions = "PublishDefinitions";

    /// <summary>The roles that read every conversation, not only their own.</summary>
    public static IReadOnlyList<string> ReadAllConversationsRoles { get; } = [Roles.Tier2, Roles.TeamLeader, Roles.QualityControl, Roles.Admin];

    /// <summary>Registers every policy above, and makes a signed-in user the fallback for every endpoint.</summary>
    public static void Configure(AuthorizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var signedIn = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        options.FallbackPolicy = signedIn;
        options.DefaultPolicy = signedIn;
        options.AddPolicy(SignedIn, signedIn);
        foreach (var role in Roles.All)
        {
            options.AddPolicy("Role:" + role, p => p.RequireAuthenticatedUser().RequireRole(role));
        }

        options.AddPolicy(ReadConversations, p => p.RequireAuthenticatedUser().RequireRole([Roles.Agent, .. ReadAllConversationsRoles]));
        options.AddPolicy(CancelConversations, p => p.RequireAuthenticatedUser().RequireRole(Roles.Agent, Roles.TeamLeader, Roles.Admin));
        options.AddPolicy(PublishDefinitions, p => p.RequireAuthenticatedUser().RequireRole(Roles.ProcessOwner, Roles.Approver, Roles.Admin));
    }
}
