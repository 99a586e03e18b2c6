using System.Text.Json;
using ContactCenter.Engine;
using ContactCenter.Engine.Journal;

namespace ContactCenter.Runtime.Storage;

/// <summary>
/// A journal read for display (the QC timeline, a history's score): the events in sequence order
/// up to the first row that cannot be read. Exact replay (<see cref="Instances.InstanceReplayer"/>)
/// is what names such a row; screens show what comes before it rather than nothing.
/// </summary>
public static class ReadableJournal
{
    public static async Task<IReadOnlyList<WorkflowEvent>> ReadAsync(IInstanceStore store, Guid instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var rows = await store.ReadJournalAsync(instanceId, cancellationToken).ConfigureAwait(false);
        var journal = new List<WorkflowEvent>(rows.Count);
        foreach (var row in rows.OrderBy(r => r.Sequence))
        {
            try
            {
                journal.Add(JournalSerializer.Deserialize(row.Json));
            }
            catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
            {
                break;
            }
        }

        return journal;
    }
}
