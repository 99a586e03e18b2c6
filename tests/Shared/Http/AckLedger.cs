using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace ContactCenter.Tests.Http;

/// <summary>
/// What the server acknowledged to the load's clients, per conversation: every message id the
/// webhook accepted (2xx), every work item whose completion was answered 200, and the highest
/// version an answer reported. After a <c>kill -9</c> and a restart, all of it must be there.
/// </summary>
internal sealed class AckLedger
{
    private readonly ConcurrentDictionary<Guid, Acked> _instances = new();

    public int Instances => _instances.Count;

    public int Commands => _instances.Values.Sum(a => a.Commands);

    public IReadOnlyList<Guid> AllInstances => [.. _instances.Keys];

    /// <summary>Conversations whose client lost the server mid-conversation (a kill), and the quiet ones left to their timers.</summary>
    public IReadOnlyList<Guid> WaitingOnServer => [.. _instances.Where(p => p.Value.Interrupted || p.Value.Quiet).Select(p => p.Key)];

    public void MessageAccepted(Guid instanceId, string messageId)
    {
        var acked = Get(instanceId);
        lock (acked)
        {
            acked.MessageIds.Add(messageId);
        }
    }

    public void Completed(Guid instanceId, long workItemId, long version)
    {
        var acked = Get(instanceId);
        lock (acked)
        {
            acked.WorkItems.Add(workItemId);
            acked.Version = Math.Max(acked.Version, version);
        }
    }

    public void WentQuiet(Guid instanceId) => Get(instanceId).Quiet = true;

    public void Interrupted(Guid instanceId) => Get(instanceId).Interrupted = true;

    /// <summary>
    /// Reads every acknowledged conversation back through the API (as <paramref name="reader"/>,
    /// a role that reads every conversation) and lists what is missing: an accepted message id
    /// without its <c>message-received</c> event, a completed work item without its
    /// <c>work-item-completed</c>, a version below one already answered, a journal with a gap.
    /// </summary>
    public async Task<IReadOnlyList<string>> MissingAsync(HttpClient reader, int parallel = 8)
    {
        var problems = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(_instances, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (pair, ct) =>
        {
            var (id, acked) = pair;
            using var journal = JsonDocument.Parse(await reader.GetStringAsync(new Uri($"/api/instances/{id}/journal", UriKind.Relative), ct).ConfigureAwait(false));
            var events = journal.RootElement.EnumerateArray().ToList();
            var sequences = events.Select(e => e.GetProperty("sequence").GetInt64()).ToList();
            if (!sequences.SequenceEqual(Enumerable.Range(1, sequences.Count).Select(i => (long)i)))
            {
                problems.Add($"{id}: journal sequence has a gap");
            }

            var messages = events.Where(e => Type(e) == "message-received@1").Select(e => e.GetProperty("messageId").GetString()).ToHashSet(StringComparer.Ordinal);
            var completed = events.Where(e => Type(e) == "work-item-completed@1").Select(e => e.GetProperty("workItemId").GetInt64()).ToHashSet();
            lock (acked)
            {
                problems.AddRange(acked.MessageIds.Where(m => !messages.Contains(m)).Select(m => $"{id}: accepted message {m} is not in the journal"));
                problems.AddRange(acked.WorkItems.Where(w => !completed.Contains(w)).Select(w => string.Create(CultureInfo.InvariantCulture, $"{id}: completed work item {w} is not in the journal")));
                if (sequences.Count < acked.Version)
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"{id}: {sequences.Count} events, but version {acked.Version} was acknowledged"));
                }
            }
        }).ConfigureAwait(false);
        return [.. problems.Order(StringComparer.Ordinal)];
    }

    /// <summary>The pending "masih terhubung?" timers (definition <c>still-connected</c>) of the given conversations now.</summary>
    public static async Task<IReadOnlyList<PendingTimer>> SilenceTimersAsync(HttpClient reader, IEnumerable<Guid> instances, int parallel = 8)
    {
        var timers = new ConcurrentBag<PendingTimer>();
        await Parallel.ForEachAsync(instances, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (id, ct) =>
        {
            using var state = JsonDocument.Parse(await reader.GetStringAsync(new Uri($"/api/instances/{id}", UriKind.Relative), ct).ConfigureAwait(false));
            foreach (var timer in state.RootElement.GetProperty("timers").EnumerateArray())
            {
                if (timer.GetProperty("definitionKey").GetString() == "still-connected")
                {
                    timers.Add(new PendingTimer(id, timer.GetProperty("id").GetInt64(), timer.GetProperty("dueAt").GetDateTimeOffset()));
                }
            }
        }).ConfigureAwait(false);
        return [.. timers];
    }

    /// <summary>
    /// Waits until each timer has fired (its <c>timer-fired</c> event is in the journal, followed
    /// by the prompt or the close it leads to), or until <paramref name="grace"/> after the last
    /// due time; returns the timers that did not fire.
    /// </summary>
    public static async Task<IReadOnlyList<PendingTimer>> UnfiredAfterAsync(HttpClient reader, IReadOnlyList<PendingTimer> timers, TimeSpan grace, int parallel = 8)
    {
        var waiting = timers.ToList();
        var deadline = (timers.Count == 0 ? DateTimeOffset.UtcNow : timers.Max(t => t.DueAt)) + grace;
        while (waiting.Count > 0)
        {
            var fired = new ConcurrentBag<PendingTimer>();
            await Parallel.ForEachAsync(waiting.Where(t => t.DueAt <= DateTimeOffset.UtcNow), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (timer, ct) =>
            {
                using var journal = JsonDocument.Parse(await reader.GetStringAsync(new Uri($"/api/instances/{timer.InstanceId}/journal", UriKind.Relative), ct).ConfigureAwait(false));
                if (journal.RootElement.EnumerateArray().Any(e => Type(e) == "timer-fired@1" && e.GetProperty("timerId").GetInt64() == timer.TimerId))
                {
                    fired.Add(timer);
                }
            }).ConfigureAwait(false);
            waiting.RemoveAll(fired.Contains);
            if (waiting.Count == 0 || DateTimeOffset.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(500).ConfigureAwait(false);
        }

        return waiting;
    }

    private static string? Type(JsonElement e) => e.GetProperty("type").GetString();

    private Acked Get(Guid instanceId) => _instances.GetOrAdd(instanceId, _ => new Acked());

    private sealed class Acked
    {
        public List<string> MessageIds { get; } = [];

        public List<long> WorkItems { get; } = [];

        public long Version { get; set; }

        public bool Quiet { get; set; }

        public bool Interrupted { get; set; }

        public int Commands
        {
            get
            {
                lock (this)
                {
                    return MessageIds.Count + WorkItems.Count;
                }
            }
        }
    }
}

/// <summary>A pending timer seen through the API.</summary>
internal sealed record PendingTimer(Guid InstanceId, long TimerId, DateTimeOffset DueAt);

internal static class ConcurrentBagExtensions
{
    public static void AddRange<T>(this ConcurrentBag<T> bag, IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            bag.Add(item);
        }
    }
}
