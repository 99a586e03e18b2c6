using System.Diagnostics.CodeAnalysis;
using ContactCenter.Engine.Expressions;

namespace ContactCenter.Modules.Calendar;

/// <summary>The ticket SLA policies and the engine timer names that point into them. Immutable.</summary>
public sealed class SlaPolicySet
{
    private readonly Dictionary<string, SlaPolicy> _byName;
    private readonly Dictionary<string, SlaTimerPolicy> _timers;

    /// <exception cref="ArgumentException">Two policies share a name or a category/priority pair, a share is outside (0, 1), or a timer policy names no policy.</exception>
    public SlaPolicySet(IEnumerable<SlaPolicy> policies, IEnumerable<SlaTimerPolicy>? timers = null)
    {
        _byName = new(StringComparer.Ordinal);
        var pairs = new Dictionary<(string, string), string>();
        foreach (var policy in policies)
        {
            if (policy.WarningShare is <= 0 or >= 1)
            {
                throw new ArgumentException($"policy '{policy.Name}': warning share {policy.WarningShare} is not between 0 and 1", nameof(policies));
            }

            if (!_byName.TryAdd(policy.Name, policy))
            {
                throw new ArgumentException($"policy '{policy.Name}' is defined twice", nameof(policies));
            }

            var pair = (Key(policy.Category), Key(policy.Priority));
            if (!pairs.TryAdd(pair, policy.Name))
            {
                throw new ArgumentException($"policies '{pairs[pair]}' and '{policy.Name}' both cover category '{policy.Category}', priority '{policy.Priority}'", nameof(policies));
            }
        }

        _timers = new(StringComparer.Ordinal);
        foreach (var timer in timers ?? [])
        {
            if (!timer.IsByTicket && !_byName.ContainsKey(timer.PolicyName))
            {
                throw new ArgumentException($"timer policy '{timer.Name}' names policy '{timer.PolicyName}', which is not defined", nameof(timers));
            }

            if (!_timers.TryAdd(timer.Name, timer))
            {
                throw new ArgumentException($"timer policy '{timer.Name}' is defined twice", nameof(timers));
            }
        }

        Policies = [.. _byName.Values];
        TimerPolicies = [.. _timers.Values];
    }

    public IReadOnlyList<SlaPolicy> Policies { get; }

    /// <summary>
    /// The categories a ticket may have (<c>categories</c> in sla-policies.json); empty when the
    /// file lists none, and then a category is known when a policy names it or a policy covers any.
    /// </summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>The priorities a ticket may have (<c>priorities</c>); empty as for <see cref="Categories"/>.</summary>
    public IReadOnlyList<string> Priorities { get; init; } = [];

    /// <summary>Whether a ticket may have <paramref name="category"/>: one of <see cref="Categories"/> (exact spelling), else one a policy covers.</summary>
    public bool IsKnownCategory(string category) => IsKnown(category, Categories, p => p.Category);

    /// <summary>Whether a ticket may have <paramref name="priority"/>, as <see cref="IsKnownCategory"/>.</summary>
    public bool IsKnownPriority(string priority) => IsKnown(priority, Priorities, p => p.Priority);

    private bool IsKnown(string value, IReadOnlyList<string> listed, Func<SlaPolicy, string> of) =>
        listed.Count > 0
            ? listed.Contains(value, StringComparer.Ordinal)
            : Policies.Any(p => Key(of(p)) == SlaPolicy.Any || Key(of(p)) == Key(value));

    public IReadOnlyList<SlaTimerPolicy> TimerPolicies { get; }

    /// <summary>The policy named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such policy.</exception>
    public SlaPolicy Get(string name) =>
        _byName.GetValueOrDefault(name) ?? throw new KeyNotFoundException($"no SLA policy named '{name}' (known: {string.Join(", ", _byName.Keys)})");

    /// <summary>The timer policy behind a BPMN <c>cc:slaPolicy</c> name.</summary>
    public bool TryGetTimer(string name, [NotNullWhen(true)] out SlaTimerPolicy? timer) => _timers.TryGetValue(name, out timer);

    /// <summary>
    /// The most specific policy for a ticket: exact category and priority, then exact category
    /// with any priority, then any category with exact priority, then the catch-all.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No policy covers the pair (there is no catch-all).</exception>
    public SlaPolicy Find(string category, string priority)
    {
        var (c, p) = (Key(category), Key(priority));
        SlaPolicy? best = null;
        var bestScore = -1;
        foreach (var policy in Policies)
        {
            var pc = Key(policy.Category);
            var pp = Key(policy.Priority);
            if ((pc != SlaPolicy.Any && pc != c) || (pp != SlaPolicy.Any && pp != p))
            {
                continue;
            }

            var score = (pc == SlaPolicy.Any ? 0 : 2) + (pp == SlaPolicy.Any ? 0 : 1);
            if (score > bestScore)
            {
                (best, bestScore) = (policy, score);
            }
        }

        return best ?? throw new KeyNotFoundException($"no SLA policy covers category '{category}', priority '{priority}' (add a '*' policy)");
    }

    /// <summary>The variable holding a ticket's category. Its value is matched against <see cref="SlaPolicy.Category"/>.</summary>
    public const string CategoryVariable = "kategori";

    /// <summary>The variable holding a ticket's priority. Its value is matched against <see cref="SlaPolicy.Priority"/>.</summary>
    public const string PriorityVariable = "prioritas";

    /// <summary>The policy of a ticket with these variables (a missing category or priority matches only <c>*</c> policies).</summary>
    public SlaPolicy ForTicket(IReadOnlyDictionary<string, Value> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return Find(Text(CategoryVariable), Text(PriorityVariable));

        string Text(string name) => variables.TryGetValue(name, out var value) && !value.IsNull ? value.ToString() : string.Empty;
    }

    /// <summary>The policy a timer policy points into, for an instance with these variables.</summary>
    public SlaPolicy PolicyOf(SlaTimerPolicy timer, IReadOnlyDictionary<string, Value> variables)
    {
        ArgumentNullException.ThrowIfNull(timer);
        return timer.IsByTicket ? ForTicket(variables) : Get(timer.PolicyName);
    }

    private static string Key(string text) => text.Trim().ToUpperInvariant();
}
