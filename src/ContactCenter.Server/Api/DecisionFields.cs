using ContactCenter.Engine;
using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Model;
using ContactCenter.Modules.Calendar;
using ContactCenter.Runtime.Definitions;

namespace ContactCenter.Server.Api;

/// <summary>
/// The data a decision must carry when its outcome leads straight into a service task that
/// declares <c>cc:fields</c>: the complaint decision's "Ya" goes into the service task that opens
/// the ticket with <c>kategori</c>, <c>prioritas</c> and <c>deskripsi</c>, so the decision is
/// refused without them (the service task asks nobody). A ticket's category and priority must be
/// ones the SLA policies know. Bound to what the flow declares, never to an element id.
/// </summary>
public static class DecisionFields
{
    /// <summary>The fields each outcome of a decision requires (only outcomes that require some).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> OutcomeFields(FlowNode? node)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (node is not ExclusiveGateway { IsDecidedByAgent: true } gateway)
        {
            return result;
        }

        foreach (var flow in gateway.Outgoing)
        {
            if (flow.Name?.Trim() is { Length: > 0 } outcome && flow.Target is TaskNode { Kind: NodeKind.ServiceTask, Fields.Count: > 0 } service)
            {
                result[outcome] = service.Fields;
            }
        }

        return result;
    }

    /// <summary>The validation errors of completing work item <paramref name="taskId"/> with this outcome and data; empty when fine.</summary>
    public static async Task<Dictionary<string, string[]>> CheckAsync(
        DefinitionCatalog catalog,
        SlaPolicySet policies,
        InstanceState state,
        long taskId,
        string? outcome,
        IReadOnlyDictionary<string, Value>? data,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(state);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (outcome is null || state.WorkItems.FirstOrDefault(w => w.Id == taskId) is not { } item)
        {
            return errors;
        }

        var node = await WorkItemAccess.NodeAsync(catalog, state, item, cancellationToken).ConfigureAwait(false);
        if (!OutcomeFields(node).TryGetValue(outcome.Trim(), out var fields))
        {
            return errors;
        }

        foreach (var field in fields)
        {
            var value = data is not null && data.TryGetValue(field, out var v) && !v.IsNull ? v.ToString() : null;
            if (string.IsNullOrWhiteSpace(value))
            {
                errors[$"data.{field}"] = [$"'{outcome}' at {item.Name ?? item.ElementId} needs {field} ({string.Join(", ", fields)})"];
            }
            else if (field == SlaPolicySet.CategoryVariable && !policies.IsKnownCategory(value))
            {
                errors[$"data.{field}"] = [$"'{value}' is not a ticket category{Known(policies.Categories)}"];
            }
            else if (field == SlaPolicySet.PriorityVariable && !policies.IsKnownPriority(value))
            {
                errors[$"data.{field}"] = [$"'{value}' is not a ticket priority{Known(policies.Priorities)}"];
            }
        }

        return errors;
    }

    private static string Known(IReadOnlyList<string> names) => names.Count == 0 ? string.Empty : $" (one of {string.Join(", ", names)})";
}
