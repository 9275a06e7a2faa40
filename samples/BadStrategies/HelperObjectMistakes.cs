using System.Collections.Generic;
using System.Threading;

namespace MemoryStrategy.Samples.BadStrategies;

/// <summary>
/// A size-class slab that keeps its state in helper objects written as if one thread used them: the analyzers
/// follow the calls into the helpers and report there, saying how each access is reached.
/// </summary>
[MemoryStrategy(TrackAllocations = true)]
public sealed unsafe partial class RacySlab
{
    private readonly object _gate = new();
    private readonly SizeClass[] _classes = [new SizeClass(), new SizeClass()];
    private readonly SlabStatistics _statistics = new();

    [Allocate]
    private void* AllocateCore(nuint size)
    {
        SizeClass sizeClass = _classes[size <= 16 ? 0 : 1];
        _statistics.Served(size);
        if (size > 16)
        {
            _statistics.ServedLarge();
        }

        lock (_gate)
        {
            sizeClass.Reserve();        // the lock at the call site protects Reserve's write...
        }

        return sizeClass.Take();        // ...but Take runs without it.
    }

    [Deallocate]
    private void DeallocateCore(void* ptr) => _classes[0].Give(ptr);

    /// <summary>Starts a new statistics period.</summary>
    public void ResetStatistics() => _statistics.Reset();
}

/// <summary>One size class of <see cref="RacySlab"/>.</summary>
internal sealed unsafe class SizeClass
{
    private readonly List<nint> _free = [];
    private int _taken;
    private int _reserved;

    public void Reserve() => _reserved++;

    public void* Take()
    {
        _taken++;                       // expect: MEM2001 -- reached from RacySlab.AllocateCore via SizeClass.Take, no lock.
        return _free.Count == 0 ? null : (void*)_free[^1]; // expect: MEM2004 -- a List<T> read while Give adds.
    }

    public void Give(void* ptr) => _free.Add((nint)ptr); // expect: MEM2004 -- a List<T> changed outside a lock.
}

/// <summary>Counters of <see cref="RacySlab"/>.</summary>
internal sealed class SlabStatistics
{
    private long _bytes;
    private long _calls;

    internal int Large;

    public void Served(nuint size)
    {
        Interlocked.Increment(ref _calls);
        _bytes += (long)size;           // expect: MEM2001 -- the byte count is not updated atomically.
    }

    public void Reset() => _calls = 0;  // expect: MEM2007 -- a plain store racing Interlocked.Increment.
}

/// <summary>C# 14 extension members of <see cref="SlabStatistics"/>: followed like its own methods.</summary>
internal static class SlabStatisticsExtensions
{
    extension(SlabStatistics statistics)
    {
        public void ServedLarge() => statistics.Large++; // expect: MEM2001 -- the block's receiver is the shared statistics object.

        public int LargeTwice => statistics.Large * 2;
    }
}
