using System.Reflection;
using MemoryStrategy.Samples;

namespace MemoryStrategy.Benchmarks.Experiments;

/// <summary>
/// A reference pool whose tracker is beyond every thread's slots (its index is the overflow slot's or more, as with
/// more than 255 trackers alive): every lookup of it takes the table, out of line. Made after enough plain trackers;
/// create it after every other strategy of the process, since the trackers made after it (until the fillers are
/// collected) would be beyond the slots too.
/// </summary>
internal sealed class BeyondSlotsPool : IDisposable
{
    private const int BlockCount = 1 << 16;

    private readonly List<StatusTracker> _fillers = [];

    public BeyondSlotsPool()
    {
        // The index is internal to the tracker: read by reflection, for this experiment's setup only.
        FieldInfo index = typeof(StatusTracker).GetField("_index", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("StatusTracker has no _index field any more");
        for (int i = 0; i < 10_000 && Strategy is null; i++)
        {
            var filler = new StatusTracker("filler");
            _fillers.Add(filler);
            if ((int)index.GetValue(filler)! >= 256)
            {
                var pool = new MemoryPoolStrategy(Workloads.BlockSize, BlockCount);
                if ((int)index.GetValue(pool.StatusTracker)! >= 255 && pool.Validate())
                {
                    Strategy = pool;
                }
                else
                {
                    pool.Dispose();
                }
            }
        }

        if (Strategy is null)
        {
            throw new InvalidOperationException("no tracker got an index beyond the slots");
        }
    }

    public MemoryPoolStrategy Strategy { get; }

    public void Dispose()
    {
        Strategy.Dispose();
        _fillers.Clear();
    }
}
