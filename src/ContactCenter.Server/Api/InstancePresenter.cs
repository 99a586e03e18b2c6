using ContactCenter.Engine;
using ContactCenter.Engine.Expressions;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;

namespace ContactCenter.Server.Api;

/// <summary>An open task (work item): what the agent's console shows, with its script resolved for this minute (<see cref="TaskScripts"/>).</summary>
public sealed record TaskView(
    long Id,
    string ElementId,
    string DefinitionKey,
    string? Name,
    string? Lane,
    string? Step,
    string? Script,
    IReadOnlyList<string> Outcomes,
    IReadOnlyList<string> Fields,
    DateTimeOffset CreatedAt)
{
    /// <summary>The role that works the task: its lane's <c>cc:performer</c> (Agent, Tier2, RelatedTeam).</summary>
    public string Performer { get; init; } = Security.Roles.Agent;

    /// <summary>
    /// The task's <c>cc:purpose</c> names (e.g. <c>tier2-decision</c>): what the step means to the
    /// product, which is what the browser decides by, never the element id.
    /// </summary>
    public IReadOnlyList<string> Purposes { get; init; } = [];

    /// <summary>At a decision, the fields an outcome requires (the complaint's "Ya": kategori, prioritas, deskripsi); empty elsewhere.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> OutcomeFields { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The values a field may take, where it is a choice (the documentation step's contact category and OOT Ya / Tidak); empty elsewhere.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> FieldChoices { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
}

/// <summary>
/// A pending timer: when the next "masih terhubung?" prompt or SLA deadline falls. <c>DueInMs</c> is the time from the server's now to
/// <c>DueAt</c> (0 when due): a browser counts down from it, not from its own clock, which may differ.
/// </summary>
public sealed record TimerView(long Id, string ElementId, string DefinitionKey, string? Name, DateTimeOffset DueAt, string? SlaPolicy, long DueInMs);

/// <summary>An instance as a list shows it.</summary>
public sealed record InstanceSummary(
    Guid Id,
    string DefinitionKey,
    int DefinitionVersion,
    string Channel,
    string? CustomerRef,
    string? Agent,
    InstanceStatus Status,
    long Version,
    DateTimeOffset StartedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? EndedAt,
    Guid? ParentInstanceId);

/// <summary>An instance with its current tasks, pending timers and variables. <see cref="Version"/> is the token to send back as expectedVersion.</summary>
public sealed record InstanceView(
    Guid Id,
    string DefinitionKey,
    int DefinitionVersion,
    string Channel,
    string? CustomerRef,
    string? Agent,
    InstanceStatus Status,
    long Version,
    DateTimeOffset StartedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? EndedAt,
    string? EndReason,
    Guid? ParentInstanceId,
    IReadOnlyDictionary<string, int> PinnedVersions,
    IReadOnlyList<TaskView> Tasks,
    IReadOnlyList<TimerView> Timers,
    IReadOnlyDictionary<string, Value> Variables);

/// <summary>Maps instance records and engine state to API views; element names come from the pinned definitions.</summary>
public sealed class InstancePresenter(DefinitionCatalog catalog, TaskScripts scripts, TimeProvider clock, InstanceRuntime runtime, ContactCenter.Hosting.ContactCenterServiceCollectionExtensions.CalendarData calendar)
{
    public static InstanceSummary Summary(InstanceRecord r) =>
        new(r.Id, r.DefinitionKey, r.DefinitionVersion, r.Channel, r.CustomerRef, r.Agent, r.Status, r.Version, r.StartedAt, r.UpdatedAt, r.EndedAt, r.ParentInstanceId);

    public async Task<InstanceView> ViewAsync(InstanceRecord record, CancellationToken cancellationToken)
    {
        // A command's answer presents the state its commit left, kept parsed by the runtime.
        var state = runtime.StateOf(record);
        var current = await scripts.CurrentAsync(state, cancellationToken).ConfigureAwait(false);
        var tasks = new List<TaskView>();
        foreach (var w in state.WorkItems.OrderBy(w => w.Id))
        {
            Engine.Model.FlowNode? node = null;
            try
            {
                node = await WorkItemAccess.NodeAsync(catalog, state, w, cancellationToken).ConfigureAwait(false);
            }
            catch (CatalogException)
            {
                // The definition is gone: the task is shown by its own fields, as the engine recorded them.
            }

            tasks.Add(new TaskView(w.Id, w.ElementId, state.ScopeOfToken(w.TokenId)?.DefinitionKey ?? record.DefinitionKey, w.Name, w.Lane, w.Step, current.GetValueOrDefault(w.Id, w.Script), w.Outcomes, w.Fields, w.CreatedAt)
            {
                Performer = WorkItemAccess.PerformerOf(node?.Performer, w.Lane),
                OutcomeFields = DecisionFields.OutcomeFields(node),
                Purposes = node?.Purposes ?? [],
                FieldChoices = node?.HasPurpose(Modules.Flows.StepPurposes.Documentation) == true
                    ? Modules.Quality.ContactDocumentation.Choices(calendar.Policies)
                    : new Dictionary<string, IReadOnlyList<string>>(),
            });
        }

        var timers = new List<TimerView>();
        var now = clock.GetUtcNow();
        foreach (var timer in state.Timers.OrderBy(t => t.DueAt).ThenBy(t => t.Id))
        {
            var scope = state.ScopeOfToken(timer.TokenId);
            var key = scope?.DefinitionKey ?? record.DefinitionKey;
            var version = scope?.DefinitionVersion ?? record.DefinitionVersion;
            string? name = null;
            try
            {
                var definition = await catalog.LoadAsync(key, version, cancellationToken).ConfigureAwait(false);
                name = definition.Nodes.GetValueOrDefault(timer.ElementId)?.Name;
            }
            catch (CatalogException)
            {
                // A name is a convenience; the timer is shown without one.
            }

            timers.Add(new TimerView(timer.Id, timer.ElementId, key, name, timer.DueAt, timer.SlaPolicy, (long)Math.Max(0, (timer.DueAt - now).TotalMilliseconds)));
        }

        return new InstanceView(
            record.Id, record.DefinitionKey, record.DefinitionVersion, record.Channel, record.CustomerRef, record.Agent, record.Status, record.Version,
            record.StartedAt, record.UpdatedAt, record.EndedAt, state.EndReason, record.ParentInstanceId, record.PinnedVersions, tasks, timers, state.Variables);
    }
}
