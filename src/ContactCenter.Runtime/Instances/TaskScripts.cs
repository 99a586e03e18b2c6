using ContactCenter.Engine;
using ContactCenter.Engine.Expressions;
using ContactCenter.Runtime.Definitions;

namespace ContactCenter.Runtime.Instances;

/// <summary>
/// The scripts of an instance's open tasks as they read now. The engine resolves a script's
/// placeholders when the task opens, and the journal keeps that text; but a context variable can
/// change while the task waits: a closing step opened at 17:59 still says "Selamat beraktifitas"
/// at 18:01, when <c>salamPenutup</c> is already "Selamat beristirahat". The agent must read the
/// words right for the minute they say them (and the scorecard judges that minute), so screens
/// show the template rendered again with the instance's variables overlaid by the context for now.
/// Nothing is written: this is a read-side view.
/// </summary>
public sealed class TaskScripts(DefinitionCatalog catalog, TimeProvider clock, IContextVariables? context = null)
{
    /// <summary>Each open work item's script for this minute, by work item id (null when it has none).</summary>
    public async Task<IReadOnlyDictionary<long, string?>> CurrentAsync(InstanceState state, CancellationToken cancellationToken = default)
    {
        var scripts = new Dictionary<long, string?>();
        if (state.WorkItems.Count == 0)
        {
            return scripts;
        }

        var variables = Overlay(state.Variables, context?.At(clock.GetUtcNow()));
        foreach (var item in state.WorkItems)
        {
            var scope = state.ScopeOfToken(item.TokenId);
            var template = scope is null ? null : await TemplateAsync(scope, item.ElementId, cancellationToken).ConfigureAwait(false);

            // A task whose definition is gone (or an element renamed away) keeps the text it opened with.
            scripts[item.Id] = template is null ? item.Script : ScriptTemplate.Render(template, variables);
        }

        return scripts;
    }

    private async Task<string?> TemplateAsync(ScopeState scope, string elementId, CancellationToken cancellationToken)
    {
        try
        {
            var definition = await catalog.LoadAsync(scope.DefinitionKey, scope.DefinitionVersion, cancellationToken).ConfigureAwait(false);
            return definition.Nodes.TryGetValue(elementId, out var node) ? ScriptTemplate.Of(node) : null;
        }
        catch (CatalogException)
        {
            return null;
        }
    }

    private static IReadOnlyDictionary<string, Value> Overlay(IReadOnlyDictionary<string, Value> variables, IReadOnlyDictionary<string, Value>? now)
    {
        if (now is null || now.Count == 0)
        {
            return variables;
        }

        var merged = new Dictionary<string, Value>(variables, StringComparer.Ordinal);
        foreach (var (name, value) in now)
        {
            merged[name] = value;
        }

        return merged;
    }
}
