using System.Runtime.InteropServices;

namespace MemoryStrategy.Reliability.Tests.Hostile;

/// <summary>
/// The hostile-input table, as requests through an entry point (managed API or C vtable): bad sizes, null, foreign pointers (another
/// strategy's, the C heap's, the stack's), interior and misaligned pointers, a double free, and use after Dispose.
/// </summary>
internal static unsafe class HostileRequests
{
    public static IReadOnlyList<HostileCase> All { get; } =
    [
        new("size 0", s => s.Allocate(0) == null, new(RefusedAllocations: 1)),
        new("size 1", s => AllocateAndFree(s, 1), new(Allocations: 1, Deallocations: 1)),
        new("size MaxAllocationSize", s => AllocateAndFree(s, s.MaxAllocationSize), new(Allocations: 1, Deallocations: 1)),
        new("size MaxAllocationSize + 1", s => s.Allocate(s.MaxAllocationSize + 1) == null, new(RefusedAllocations: 1)),
        new("size nuint.MaxValue", s => s.Allocate(nuint.MaxValue) == null, new(RefusedAllocations: 1)),
        new("free null", s => Refused(s, null), new(RefusedDeallocations: 1)),
        new("free a pointer of another strategy of the same type", FreeAnotherStrategysBlock, new(RefusedDeallocations: 1)),
        new("free a pointer from NativeMemory", FreeNativeMemoryBlock, new(RefusedDeallocations: 1)),
        new("free a pointer to the stack", s =>
        {
            long local = 0;
            return Refused(s, &local);
        }, new(RefusedDeallocations: 1)),
        new("free an interior pointer", s => FreeOffset(s, 16), new(Allocations: 1, Deallocations: 1, RefusedDeallocations: 1)),
        new("free a misaligned pointer", s => FreeOffset(s, 1), new(Allocations: 1, Deallocations: 1, RefusedDeallocations: 1)),
        new("double free", DoubleFree, new(Allocations: 1, Deallocations: 1, RefusedDeallocations: 1)),
        new("allocate after Dispose", s =>
        {
            s.DisposeStrategy();
            return s.Allocate(16) == null;
        }, new(RefusedAllocations: 1), StrategyStatus.Disposed),
        new("free after Dispose", s =>
        {
            void* block = s.Allocate(16);
            s.DisposeStrategy();
            return block != null && Refused(s, block);
        }, new(Allocations: 1, RefusedDeallocations: 1), StrategyStatus.Disposed),
        new("Dispose twice", s =>
        {
            s.DisposeStrategy();
            s.DisposeStrategy();
            return s.GetStatus() == StrategyStatus.Disposed && !s.Validate();
        }, default, StrategyStatus.Disposed),
    ];

    private static bool AllocateAndFree(EntryPoint strategy, nuint size)
    {
        byte* block = (byte*)strategy.Allocate(size);
        if (block == null)
        {
            return false;
        }

        // The whole block is writable: its first and last byte.
        block[0] = 1;
        block[size - 1] = 2;
        strategy.Deallocate(block);
        return true;
    }

    /// <summary>Frees <paramref name="ptr"/> and says whether it was refused: not owned before, not owned after.</summary>
    private static bool Refused(EntryPoint strategy, void* ptr)
    {
        bool ownedBefore = strategy.Strategy.Owns(ptr);
        strategy.Deallocate(ptr);
        return !ownedBefore && !strategy.Strategy.Owns(ptr);
    }

    private static bool FreeAnotherStrategysBlock(EntryPoint strategy)
    {
        // A strategy of the same type: the same core, the same address ranges in general, yet not this one's block.
        using IMemoryStrategy other = strategy.CreateSibling();
        void* foreign = other.Allocate(16);
        bool refused = foreign != null && Refused(strategy, foreign);
        bool stillTheOthers = other.Owns(foreign);
        other.Deallocate(foreign);
        return refused && stillTheOthers && other.StatusTracker.GetStatistics().Deallocations == 1;
    }

    private static bool FreeNativeMemoryBlock(EntryPoint strategy)
    {
        void* foreign = NativeMemory.AlignedAlloc(64, 16);
        try
        {
            return Refused(strategy, foreign);
        }
        finally
        {
            NativeMemory.AlignedFree(foreign);
        }
    }

    private static bool FreeOffset(EntryPoint strategy, int offset)
    {
        byte* block = (byte*)strategy.Allocate(64);
        bool refused = block != null && Refused(strategy, block + offset);
        bool stillLive = strategy.Strategy.Owns(block);
        strategy.Deallocate(block);
        return refused && stillLive;
    }

    private static bool DoubleFree(EntryPoint strategy)
    {
        void* block = strategy.Allocate(32);
        strategy.Deallocate(block);
        return block != null && Refused(strategy, block);
    }
}
