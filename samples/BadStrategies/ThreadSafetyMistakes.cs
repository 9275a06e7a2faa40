using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;

namespace MemoryStrategy.Samples.BadStrategies;

/// <summary>A bump arena written as if only one thread ever called it.</summary>
[MemoryStrategy(TrackAllocations = true)]
public sealed unsafe partial class RacyArena
{
    private readonly object _gate = new();
    private readonly byte* _start = (byte*)NativeMemory.Alloc(1 << 16);
    private nint _offset;
    private int _lastSize;
    [GuardedBy(nameof(_gate))] private long _bytesServed;
    private readonly List<nint> _blocks = new();
    private long _peak;
    private static long s_servedByAll;
    private object _swapGate = new();
    private int _state;
    [ThreadStatic] private int _hint; // expect: MEM2008 -- [ThreadStatic] on an instance field is ignored.

    [Allocate]
    private void* AllocateCore(nuint size)
    {
        _offset += (nint)size;          // expect: MEM2001 -- two threads can get the same block.
        _lastSize = (int)size;          // expect: MEM2002 -- plain store outside a lock.
        _bytesServed += (long)size;     // expect: MEM2003 -- writing '_bytesServed' requires holding '_gate'.
        _blocks.Add((nint)_start);      // expect: MEM2004 -- List<T> is not thread-safe.
        lock (_gate)
        {
            _peak = _offset;
            s_servedByAll += (long)size; // expect: MEM2009 -- every arena shares it; '_gate' is this arena's lock.
        }

        return _start + _offset - (nint)size;
    }

    [Deallocate]
    private void DeallocateCore(void* ptr)
    {
        lock (this)                     // expect: MEM2006 -- anyone holding the strategy can take this lock.
        {
            _hint = 0;
        }
    }

    public long Peak => _peak;          // expect: MEM2005 -- written under '_gate', read without it.

    public bool TryEnter() => Interlocked.CompareExchange(ref _state, 1, 0) == 0;

    public void Exit() => _state = 0;   // expect: MEM2007 -- a plain store racing Interlocked.

    public void Reset()
    {
        lock (_swapGate)
        {
            _swapGate = new object();
        }
    }
}
