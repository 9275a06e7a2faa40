using System.Reflection;
using MemoryStrategy.Samples;

namespace MemoryStrategy.Benchmarks.Experiments;

/// <summary>
/// A reference pool whose tracker's index lies beyond a thread's first 256 slots (as with more than 255 trackers
/// alive): its first call on a thread grows that thread's slots, and every later lookup finds it in its own slot, as
/// for any other tracker. (Until the slots grew, such a tracker shared a slot that was never filled, and every lookup
/// of it took the table, out of line.) Made after enough plain trackers; create it after every other strategy of the
/// process, so that the others keep small indices.
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
            throw new InvalidOperationException("no tracker got an index beyond the first slots");
        }
    }

    public MemoryPoolStrategy Strategy { get; }

    public void Dispose()
    {
        Strategy.Dispose();
        _fillers.Clear();
    }
}
