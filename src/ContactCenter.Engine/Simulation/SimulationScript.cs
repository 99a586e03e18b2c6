using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using ContactCenter.Engine.Expressions;

namespace ContactCenter.Engine.Simulation;

/// <summary>What a script step does.</summary>
public enum ScriptStepKind
{
    /// <summary>Complete an open work item (the agent, Tier 2 or a related team acts).</summary>
    Complete,

    /// <summary>The customer sends a message (<c>customer-message</c>).</summary>
    Customer,

    /// <summary>Only advance the clock: timers due by then fire.</summary>
    Wait,

    /// <summary>The customer ends the chat (<c>customer-ended</c>, what live chat reports: SOP §8.5 2c).</summary>
    CustomerEnded,

    /// <summary>Cancel the instance.</summary>
    Cancel,
}

/// <summary>One step of a script, at its offset from the script's start.</summary>
/// <param name="Number">1-based position in the script, the number every error names.</param>
/// <param name="Offset">When it happens, from the start.</param>
/// <param name="Kind">What it does.</param>
/// <param name="Argument">The work item selector (complete), the message text (customer), the reason (cancel); null for wait.</param>
/// <param name="Outcome">The outcome of an agent-decided gateway ("Ya", "Tidak").</param>
/// <param name="Data">Field values given when completing a work item.</param>
/// <param name="Actor">Who acts; defaults to the script's agent (complete, cancel) or customer (customer).</param>
/// <param name="MessageId">A customer message's id; defaults to <c>msg-{Number}</c>.</param>
/// <param name="Note">A comment for people, shown in the report.</param>
public sealed record ScriptStep(
    int Number,
    TimeSpan Offset,
    ScriptStepKind Kind,
    string? Argument,
    string? Outcome,
    ImmutableSortedDictionary<string, Value> Data,
    string? Actor,
    string? MessageId,
    string? Note)
{
    /// <summary><c>step 3 (complete 'Activity_0x9k2m1')</c>: how errors name the step.</summary>
    public string Describe() => Kind switch
    {
        ScriptStepKind.Complete => $"step {Number} (complete '{Argument}')",
        ScriptStepKind.Customer => $"step {Number} (customer message)",
        ScriptStepKind.Wait => $"step {Number} (wait until {TimeOffset.Format(Offset)})",
        ScriptStepKind.CustomerEnded => $"step {Number} (customer ended the chat)",
        _ => $"step {Number} (cancel)",
    };
}

/// <summary>A prompt the script expects the customer to receive.</summary>
public sealed record ExpectedPrompt(TimeSpan Offset, string? Text, string? Step);

/// <summary>A service task the script expects to run (<c>createTicket</c>, ...).</summary>
public sealed record ExpectedService(string Kind, TimeSpan? Offset);

/// <summary>What a script says the run must show; each part is checked only when given.</summary>
public sealed record ScriptExpectations(
    InstanceStatus? Status,
    TimeSpan? EndedAt,
    IReadOnlyList<ExpectedPrompt>? Prompts,
    IReadOnlyList<ExpectedService>? Services,
    ImmutableSortedDictionary<string, Value>? Variables,
    IReadOnlyList<string>? OpenWorkItems);

/// <summary>
/// A scripted conversation on a virtual clock: which workflow, when it starts, and what people
/// do at which offset. The JSON form is documented in docs/simulation.md.
/// </summary>
public sealed record SimulationScript(
    string? Title,
    string? Description,
    string Workflow,
    DateTimeOffset Start,
    string Agent,
    string Customer,
    ImmutableSortedDictionary<string, Value> Variables,
    IReadOnlyList<ScriptStep> Steps,
    ScriptExpectations? Expect,
    bool Settle,
    int MaxSettleTimers)
{
    /// <summary>Most timers fired after the last step by default (a guard against timer loops).</summary>
    public const int DefaultMaxSettleTimers = 100;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 16,
    };

    /// <summary>Leaves a thousand years of calendar for a script's steps and timers.</summary>
    private const int LatestStartYear = 9000;

    private static readonly string[] TopLevelKeys = ["$schema", "title", "description", "workflow", "start", "agent", "customer", "variables", "steps", "expect", "settle", "maxSettleTimers"];

    private static readonly string[] StepKeys = ["at", "after", "complete", "customer", "customerEnded", "wait", "cancel", "outcome", "data", "actor", "messageId", "note"];

    private static readonly string[] StepKinds = ["complete", "customer", "customerEnded", "wait", "cancel"];

    private static readonly string[] PromptKeys = ["at", "text", "step"];

    private static readonly string[] ServiceKeys = ["kind", "at"];

    private static readonly string[] ExpectKeys = ["status", "endedAt", "prompts", "services", "variables", "openWorkItems"];

    /// <summary>Reads a script from its JSON text.</summary>
    /// <param name="json">The script.</param>
    /// <param name="sourceName">A file name for error messages.</param>
    /// <exception cref="SimulationScriptException">The script is not valid; the message names the step and the property.</exception>
    public static SimulationScript Parse(string json, string? sourceName = null)
    {
        var where = sourceName is null ? "script" : sourceName;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new SimulationScriptException($"{where}: not valid JSON: {e.Message}");
        }

        using (document)
        {
            return new Reader(where).Script(document.RootElement);
        }
    }

    private sealed class Reader(string where)
    {
        private SimulationScriptException Error(string message) => new($"{where}: {message}");

        public SimulationScript Script(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Error("the script must be a JSON object");
            }

            CheckKeys(root, TopLevelKeys, "the script");
            var workflow = RequiredString(root, "workflow", "the script");
            var startText = RequiredString(root, "start", "the script");
            if (!System.Text.RegularExpressions.Regex.IsMatch(startText, @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)$")
                || !DateTimeOffset.TryParse(startText, CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
            {
                throw Error($"'start' is '{startText}'; write an ISO 8601 time with its offset, e.g. 2026-03-02T09:00:00+07:00");
            }

            // Steps add up to 100,000 hours and timers up to 366 days each: a start near the end of
            // the calendar (9999-12-31) would overflow DateTimeOffset mid-run (issue 16).
            if (start.Year >= LatestStartYear)
            {
                throw Error($"'start' is '{startText}'; a script starts before the year {LatestStartYear}");
            }

            var variables = Values(root, "variables", "the script");
            var steps = new List<ScriptStep>();
            if (!root.TryGetProperty("steps", out var stepsElement) || stepsElement.ValueKind != JsonValueKind.Array)
            {
                throw Error("'steps' must be an array of steps");
            }

            var previous = TimeSpan.Zero;
            var number = 0;
            foreach (var element in stepsElement.EnumerateArray())
            {
                number++;
                var step = Step(element, number, previous);
                steps.Add(step);
                previous = step.Offset;
            }

            var settle = true;
            if (root.TryGetProperty("settle", out var settleElement))
            {
                settle = settleElement.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw Error("'settle' must be true or false"),
                };
            }

            var maxSettle = DefaultMaxSettleTimers;
            if (root.TryGetProperty("maxSettleTimers", out var maxElement) && (!maxElement.TryGetInt32(out maxSettle) || maxSettle < 0))
            {
                throw Error("'maxSettleTimers' must be a whole number, 0 or more");
            }

            return new SimulationScript(
                OptionalString(root, "title", "the script"),
                OptionalString(root, "description", "the script"),
                workflow,
                start,
                OptionalString(root, "agent", "the script") ?? "agent",
                OptionalString(root, "customer", "the script") ?? "nasabah",
                variables,
                steps,
                root.TryGetProperty("expect", out var expect) ? Expectations(expect) : null,
                settle,
                maxSettle);
        }

        private ScriptStep Step(JsonElement element, int number, TimeSpan previous)
        {
            var name = $"step {number}";
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Error($"{name}: a step must be a JSON object");
            }

            CheckKeys(element, StepKeys, name);
            var kinds = StepKinds.Where(k => element.TryGetProperty(k, out _)).ToList();
            if (kinds.Count != 1)
            {
                throw Error($"{name}: a step does exactly one of complete, customer, customerEnded, wait or cancel (found {(kinds.Count == 0 ? "none" : string.Join(", ", kinds))})");
            }

            var kind = kinds[0] switch
            {
                "complete" => ScriptStepKind.Complete,
                "customer" => ScriptStepKind.Customer,
                "customerEnded" => ScriptStepKind.CustomerEnded,
                "wait" => ScriptStepKind.Wait,
                _ => ScriptStepKind.Cancel,
            };

            var hasAt = element.TryGetProperty("at", out var atElement);
            var hasAfter = element.TryGetProperty("after", out var afterElement);
            TimeSpan? waitFor = null;
            if (kind == ScriptStepKind.Wait)
            {
                var wait = element.GetProperty("wait");
                if (wait.ValueKind == JsonValueKind.String)
                {
                    waitFor = Offset(wait, $"{name}: 'wait'");
                }
                else if (wait.ValueKind != JsonValueKind.True)
                {
                    throw Error($"{name}: 'wait' is a duration such as \"1:00\" (from the previous step) or true (with 'at')");
                }
            }

            if ((hasAt ? 1 : 0) + (hasAfter ? 1 : 0) + (waitFor is null ? 0 : 1) > 1)
            {
                throw Error($"{name}: give only one of 'at' (from the start), 'after' (from the previous step) or a 'wait' duration");
            }

            var offset = previous;
            if (hasAt)
            {
                offset = Offset(atElement, $"{name}: 'at'");
                if (offset < previous)
                {
                    throw Error($"{name}: 'at' {TimeOffset.Format(offset)} is before the previous step at {TimeOffset.Format(previous)}; steps run in time order");
                }
            }
            else if (hasAfter)
            {
                offset = previous + Offset(afterElement, $"{name}: 'after'");
            }
            else if (waitFor is { } duration)
            {
                offset = previous + duration;
            }

            var argument = kind switch
            {
                ScriptStepKind.Complete => RequiredString(element, "complete", name),
                ScriptStepKind.Customer => RequiredString(element, "customer", name),
                ScriptStepKind.CustomerEnded => RequiredString(element, "customerEnded", name),
                ScriptStepKind.Cancel => RequiredString(element, "cancel", name),
                _ => null,
            };

            var outcome = OptionalString(element, "outcome", name);
            var data = Values(element, "data", name);
            if (kind != ScriptStepKind.Complete && (outcome is not null || data.Count > 0))
            {
                throw Error($"{name}: 'outcome' and 'data' belong to complete steps");
            }

            var messageId = OptionalString(element, "messageId", name);
            if (kind is not (ScriptStepKind.Customer or ScriptStepKind.CustomerEnded) && messageId is not null)
            {
                throw Error($"{name}: 'messageId' belongs to customer steps");
            }

            var actor = OptionalString(element, "actor", name);
            if (kind == ScriptStepKind.Wait && actor is not null)
            {
                throw Error($"{name}: nobody acts in a wait step; remove 'actor'");
            }

            return new ScriptStep(number, offset, kind, argument, outcome, data, actor, messageId, OptionalString(element, "note", name));
        }

        private ScriptExpectations Expectations(JsonElement element)
        {
            const string name = "expect";
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Error("'expect' must be a JSON object");
            }

            CheckKeys(element, ExpectKeys, name);
            InstanceStatus? status = null;
            if (OptionalString(element, "status", name) is { } statusText)
            {
                status = Enum.TryParse<InstanceStatus>(statusText, ignoreCase: true, out var parsed) && !statusText.Any(char.IsDigit)
                    ? parsed
                    : throw Error($"expect: 'status' is '{statusText}'; use one of {string.Join(", ", Enum.GetNames<InstanceStatus>())}");
            }

            TimeSpan? endedAt = element.TryGetProperty("endedAt", out var endedElement) ? Offset(endedElement, "expect: 'endedAt'") : null;

            List<ExpectedPrompt>? prompts = null;
            if (element.TryGetProperty("prompts", out var promptsElement))
            {
                prompts = [];
                var i = 0;
                foreach (var p in Array(promptsElement, "expect: 'prompts'"))
                {
                    i++;
                    var pName = $"expect: prompt {i}";
                    if (p.ValueKind != JsonValueKind.Object)
                    {
                        throw Error($"{pName}: write {{ \"at\": \"+1:00\", \"text\": \"...\" }}");
                    }

                    CheckKeys(p, PromptKeys, pName);
                    if (!p.TryGetProperty("at", out var at))
                    {
                        throw Error($"{pName}: 'at' is required");
                    }

                    prompts.Add(new ExpectedPrompt(Offset(at, $"{pName}: 'at'"), OptionalString(p, "text", pName), OptionalString(p, "step", pName)));
                }
            }

            List<ExpectedService>? services = null;
            if (element.TryGetProperty("services", out var servicesElement))
            {
                services = [];
                var i = 0;
                foreach (var s in Array(servicesElement, "expect: 'services'"))
                {
                    i++;
                    var sName = $"expect: service {i}";
                    if (s.ValueKind == JsonValueKind.String)
                    {
                        services.Add(new ExpectedService(s.GetString()!, null));
                        continue;
                    }

                    if (s.ValueKind != JsonValueKind.Object)
                    {
                        throw Error($"{sName}: write \"createTicket\" or {{ \"kind\": \"createTicket\", \"at\": \"+2:00\" }}");
                    }

                    CheckKeys(s, ServiceKeys, sName);
                    TimeSpan? at = s.TryGetProperty("at", out var atElement) ? Offset(atElement, $"{sName}: 'at'") : null;
                    services.Add(new ExpectedService(RequiredString(s, "kind", sName), at));
                }
            }

            List<string>? open = null;
            if (element.TryGetProperty("openWorkItems", out var openElement))
            {
                open = [];
                foreach (var o in Array(openElement, "expect: 'openWorkItems'"))
                {
                    open.Add(o.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(o.GetString())
                        ? o.GetString()!
                        : throw Error("expect: 'openWorkItems' lists work item selectors (element id, name or SOP step) as strings"));
                }
            }

            var variables = element.TryGetProperty("variables", out _) ? Values(element, "variables", name) : null;
            return new ScriptExpectations(status, endedAt, prompts, services, variables, open);
        }

        private JsonElement.ArrayEnumerator Array(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : throw Error($"{name} must be an array");

        private TimeSpan Offset(JsonElement element, string name)
        {
            var text = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
            return TimeOffset.TryParse(text, out var offset)
                ? offset
                : throw Error($"{name} is {element.GetRawText()}; write a time offset such as \"+00:05\", \"+1:30\" (minutes:seconds) or \"+1:00:00\" (hours:minutes:seconds)");
        }

        private void CheckKeys(JsonElement element, string[] allowed, string name)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (!allowed.Contains(property.Name, StringComparer.Ordinal))
                {
                    throw Error($"{name}: unknown property '{property.Name}' (allowed: {string.Join(", ", allowed.Where(a => a != "$schema"))})");
                }
            }
        }

        private string RequiredString(JsonElement element, string property, string name) =>
            OptionalString(element, property, name) is { Length: > 0 } text && !string.IsNullOrWhiteSpace(text)
                ? text
                : throw Error($"{name}: '{property}' must be a non-empty string");

        private string? OptionalString(JsonElement element, string property, string name)
        {
            if (!element.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Error($"{name}: '{property}' must be a string");
        }

        private ImmutableSortedDictionary<string, Value> Values(JsonElement element, string property, string name)
        {
            var builder = ImmutableSortedDictionary.CreateBuilder<string, Value>(StringComparer.Ordinal);
            if (!element.TryGetProperty(property, out var values) || values.ValueKind == JsonValueKind.Null)
            {
                return builder.ToImmutable();
            }

            if (values.ValueKind != JsonValueKind.Object)
            {
                throw Error($"{name}: '{property}' must be an object of name: value");
            }

            foreach (var p in values.EnumerateObject())
            {
                try
                {
                    builder[p.Name] = Value.FromJson(p.Value);
                }
                catch (JsonException e)
                {
                    throw Error($"{name}: '{property}.{p.Name}': {e.Message}");
                }
            }

            return builder.ToImmutable();
        }
    }
}

/// <summary>A script that cannot be read; the message names the file, the step and the property.</summary>
public sealed class SimulationScriptException(string message) : Exception(message);
