using System.Runtime.InteropServices;

namespace MemoryStrategy.Generators.Tests.Runtime.Strategies;

/// <summary>
/// Eight 48-byte blocks whose ownership is a range, a stride and a state byte each, described to the C
/// <c>validate_deallocation</c> (<see cref="INativeBlockOwnership"/>; 48 = 16 x 3, so the odd-part inverse is used).
/// The state bytes live in a page of their own, mapped with <c>mmap</c> and unmapped by the cleanup: a C reader that
/// read them after the strategy's disposal would fault, not read stale memory. Counts the calls of its <c>[Owns]</c>,
/// so a test can tell an answer from C from one from .NET.
/// </summary>
[MemoryStrategy(MaxAllocationSize = BlockSize, Name = "DescribedBlocks")]
internal sealed unsafe partial class DescribedBlocksStrategy : INativeBlockOwnership
{
    public const int BlockSize = 48;
    public const int BlockCount = 8;

    /// <summary>The inverse of 3 modulo 2^64.</summary>
    private const ulong InverseOfThree = 0xAAAAAAAAAAAAAAAB;

    private const int PageBytes = 4096;

    private readonly byte* _slab = (byte*)NativeMemory.AllocZeroed(BlockSize * BlockCount);
    private readonly byte* _states = MapPage();
    private readonly object _lock = new();
    private int _ownsCalls;

    public int OwnsCalls => Volatile.Read(ref _ownsCalls);

    /// <summary>Whether the cleanup has unmapped the state bytes.</summary>
    public bool Released => Volatile.Read(ref _released);

    private bool _released;

    public bool TryDescribeBlocks(out NativeBlockOwnership blocks)
    {
        blocks = new NativeBlockOwnership(_slab, 4, InverseOfThree, BlockCount, _states, 1);
        return true;
    }

    [Allocate]
    private void* AllocateCore(nuint size)
    {
        lock (_lock)
        {
            for (int i = 0; i < BlockCount; i++)
            {
                if (_states[i] == 0)
                {
                    Volatile.Write(ref _states[i], 1);
                    return _slab + (i * BlockSize);
                }
            }
        }

        return null;
    }

    [Deallocate]
    private bool DeallocateCore(void* ptr)
    {
        lock (_lock)
        {
            if (!IsAllocated(ptr, out int index))
            {
                return false;
            }

            Volatile.Write(ref _states[index], 0);
            return true;
        }
    }

    [Owns]
    private bool OwnsCore(void* ptr)
    {
        Interlocked.Increment(ref _ownsCalls);
        return IsAllocated(ptr, out _);
    }

    /// <summary>Whether the cleanup sleeps first (a cleanup that waits, which a pending interrupt would cut short).</summary>
    public bool SleepInCleanup { get; init; }

    [Cleanup]
    private void Release()
    {
        if (SleepInCleanup)
        {
            Thread.Sleep(1);
        }

        Volatile.Write(ref _released, true);
        Assert.Equal(0, Munmap(_states, PageBytes));
        NativeMemory.Free(_slab);
    }

    private bool IsAllocated(void* ptr, out int index)
    {
        long offset = (byte*)ptr - _slab;
        index = (int)(offset / BlockSize);
        return offset >= 0 && offset < BlockSize * BlockCount && offset % BlockSize == 0
            && Volatile.Read(ref _states[index]) == 1;
    }

    private static byte* MapPage()
    {
        // PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS (Linux x64 values).
        void* page = Mmap(null, PageBytes, 0x1 | 0x2, 0x02 | 0x20, -1, 0);
        Assert.NotEqual((nint)(-1), (nint)page);
        return (byte*)page;
    }

    [DllImport("libc", EntryPoint = "mmap")]
    private static extern void* Mmap(void* address, nuint length, int protection, int flags, int descriptor,
        nint offset);

    [DllImport("libc", EntryPoint = "munmap")]
    private static extern int Munmap(void* address, nuint length);
}
