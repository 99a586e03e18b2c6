using ContactCenter.Engine;
using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Model;
using ContactCenter.Engine.Simulation;
using ContactCenter.Runtime.Definitions;

namespace ContactCenter.Modules.Quality.WhatIf;

/// <summary>One sample conversation simulated against a version: pass or fail, why, and its path through that version.</summary>
/// <param name="Name">The sample, as <c>inbound-call/happy-path</c>.</param>
/// <param name="Title">The sample's title.</param>
/// <param name="Workflow">The flow the sample starts (the version's own key, or a flow that calls it).</param>
/// <param name="Passed">It ran to its end and every expectation held.</param>
/// <param name="Error">Why it stopped early (a step with no open work item to complete, a script that does not parse).</param>
/// <param name="Expectations">Each checked expectation.</param>
/// <param name="Path">The elements of the version entered, in order, each once.</param>
/// <param name="Flows">The sequence flows of the version taken, each once.</param>
public sealed record SampleRun(
    string Name,
    string? Title,
    string Workflow,
    bool Passed,
    string? Error,
    IReadOnlyList<ExpectationResult> Expectations,
    IReadOnlyList<string> Path,
    IReadOnlyList<string> Flows);

/// <summary>Every sample of a version: each run, and the counts.</summary>
public sealed record SampleRunReport(string DefinitionKey, int Version, IReadOnlyList<SampleRun> Samples)
{
    public int Passed => Samples.Count(s => s.Passed);

    public int Failed => Samples.Count(s => !s.Passed);
}

/// <summary>A sample conversation's script: its name (<c>live-chat/happy-path</c>) and its JSON text.</summary>
public sealed record SampleConversationText(string Name, string Json);

/// <summary>Where the sample conversations are kept (the hosting reads them from a folder).</summary>
public interface ISampleConversations
{
    /// <summary>The samples of <paramref name="workflow"/>, by name.</summary>
    IReadOnlyList<SampleConversationText> Of(string workflow);

    /// <summary>Every flow's samples, by name.</summary>
    IReadOnlyList<SampleConversationText> All();
}

/// <summary>
/// The sample conversations (<c>samples/conversations/&lt;flow&gt;/*.json</c>) simulated against a
/// version that is not in effect yet (a draft, one in review), so reviewers and approvers see
/// before deciding whether the conversations the SOP describes still go as written. A flow with no
/// samples of its own (one others call, like the silence ladder) gets the samples of every flow that
/// calls it. The other flows run the version in effect now. Reading only: nothing is stored.
/// </summary>
public sealed class SampleSimulations(DefinitionCatalog catalog, ISampleConversations samples, TimeProvider clock)
{
    /// <summary>Most samples simulated for one version.</summary>
    public const int MaxSamples = 100;

    /// <exception cref="CatalogException">No such version.</exception>
    public async Task<SampleRunReport> RunAsync(string key, int version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        await catalog.GetAsync(key, version, cancellationToken).ConfigureAwait(false);
        var runs = new List<SampleRun>();
        var sets = new Dictionary<string, DefinitionSet?>(StringComparer.Ordinal);
        var own = samples.Of(key);
        var texts = own.Count > 0 ? own : samples.All();
        foreach (var (name, json) in texts)
        {
            if (runs.Count >= MaxSamples)
            {
                break;
            }

            SimulationScript script;
            try
            {
                script = SimulationScript.Parse(json, name + ".json");
            }
            catch (SimulationScriptException e)
            {
                runs.Add(new SampleRun(name, null, key, false, e.Message, [], [], []));
                continue;
            }

            if (!sets.TryGetValue(script.Workflow, out var set))
            {
                set = await CandidateSetAsync(script.Workflow, key, version, cancellationToken).ConfigureAwait(false);
                sets[script.Workflow] = set;
            }

            // A borrowed sample counts only when its flow runs the version (calls it).
            if (set is null || (own.Count == 0 && !set.TryGet(key, out _, out _)))
            {
                if (own.Count > 0)
                {
                    runs.Add(new SampleRun(name, script.Title, script.Workflow, false, $"'{script.Workflow}' has no version in effect to run with {key} v{version}", [], [], []));
                }

                continue;
            }

            var result = new Simulator(new WorkflowEngine(set)).Run(script);
            var scopes = new Dictionary<long, string>();
            var path = new List<string>();
            var flows = new List<string>();
            foreach (var e in result.Journal)
            {
                if (e is ScopeStarted scope)
                {
                    scopes[scope.ScopeId] = scope.DefinitionKey;
                }
                else if (e is ElementEntered entered && scopes.GetValueOrDefault(entered.ScopeId) == key)
                {
                    path.Add(entered.ElementId);
                    if (entered.FlowId is { } flow)
                    {
                        flows.Add(flow);
                    }
                }
            }

            runs.Add(new SampleRun(name, script.Title, script.Workflow, result.Succeeded, result.Error, result.Expectations, [.. path.Distinct()], [.. flows.Distinct()]));
        }

        return new SampleRunReport(key, version, runs);
    }

    /// <summary>
    /// <paramref name="workflow"/> and what it calls, at the versions in effect now, with
    /// <paramref name="key"/> at <paramref name="version"/>; null when a flow has none in effect.
    /// </summary>
    private async Task<DefinitionSet?> CandidateSetAsync(string workflow, string key, int version, CancellationToken cancellationToken)
    {
        var set = new DefinitionSet();
        var pending = new Queue<string>([workflow]);
        var now = clock.GetUtcNow();
        while (pending.TryDequeue(out var next))
        {
            if (set.TryGet(next, out _, out _))
            {
                continue;
            }

            int pinned;
            if (next == key)
            {
                pinned = version;
            }
            else
            {
                try
                {
                    pinned = (await catalog.GetInEffectAsync(next, now, cancellationToken).ConfigureAwait(false)).Version;
                }
                catch (CatalogException)
                {
                    return null;
                }
            }

            var definition = await catalog.LoadAsync(next, pinned, cancellationToken).ConfigureAwait(false);
            set.Add(definition, pinned);
            foreach (var call in definition.Nodes.Values.OfType<CallActivity>())
            {
                pending.Enqueue(call.CalledKey);
            }
        }

        return set;
    }
}
