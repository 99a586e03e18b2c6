using ContactCenter.Engine;
using ContactCenter.Runtime.Storage;

namespace ContactCenter.Runtime.Instances;

/// <summary>
/// The states of recently committed instances, kept parsed so that the next command on one does
/// not parse its snapshot again (a fresh state per command was a fifth of the allocations of a
/// command, see docs/performance.md).
/// </summary>
/// <remarks>
/// A fixed number of slots, one per instance id's hash (a newer instance takes an older one's
/// slot): bounded memory, no locks. A kept state is used only for a record whose snapshot text is
/// exactly the one that state was written as, so a record committed elsewhere (another node,
/// another runtime on the same store) or an older one is parsed as before. The engine never
/// changes a state it is given (it decides on a clone), so one kept state can serve many readers.
/// </remarks>
internal sealed class ParsedStates(int slots = ParsedStates.DefaultSlots)
{
    /// <summary>Enough for the conversations a node has running at once; about 3 KB each.</summary>
    public const int DefaultSlots = 2048;

    private readonly Entry?[] _slots = new Entry?[slots];

    /// <summary>Keeps <paramref name="state"/> as what <paramref name="record"/>'s snapshot parses to; an ended instance is not kept.</summary>
    public void Remember(InstanceRecord record, InstanceState state)
    {
        ref var slot = ref _slots[SlotOf(record.Id)];
        if (record.Status == InstanceStatus.Running)
        {
            Volatile.Write(ref slot, new Entry(record.Id, record.Snapshot, state));
        }
        else if (Volatile.Read(ref slot)?.Id == record.Id)
        {
            Volatile.Write(ref slot, null);
        }
    }

    /// <summary>The state <paramref name="record"/>'s snapshot holds: the kept one when its text matches, else parsed.</summary>
    public InstanceState StateOf(InstanceRecord record)
    {
        var kept = Volatile.Read(ref _slots[SlotOf(record.Id)]);
        return kept is not null && kept.Id == record.Id && string.Equals(kept.Snapshot, record.Snapshot, StringComparison.Ordinal)
            ? kept.State
            : InstanceState.FromJson(record.Snapshot);
    }

    private int SlotOf(Guid id) => (int)((uint)id.GetHashCode() % (uint)_slots.Length);

    private sealed record Entry(Guid Id, string Snapshot, InstanceState State);
}
