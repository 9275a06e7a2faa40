using System.Runtime.InteropServices;
using MemoryStrategy.Reliability.Tests.Hostile;
using MemoryStrategy.Reliability.Tests.Infrastructure;

namespace MemoryStrategy.Reliability.Tests.Load;

/// <summary>
/// The stamped load through the C-ABI vtable: pthreads in <c>Native/stress_workers.c</c> call
/// <c>strategy-&gt;allocate</c>/<c>deallocate</c> on each strategy's native handle, 10^6 operations per thread, blocks
/// handed between threads, every stamp checked before the free.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed unsafe class NativeLoadFromCTests(ITestOutputHelper output)
{
    private const int Threads = 4;

    private static readonly Lazy<nint> Library = new(() => GccLibrary.BuildAndLoad(Path.Combine("Native", "stress_workers.c")));

    [RequiresGccTheory]
    [MemberData(nameof(StrategyNames))]
    public void C_threads_never_share_a_block_and_the_books_balance(string name)
    {
        StrategyCase strategyCase = StrategyCatalog.Get(name);
        using IMemoryStrategy strategy = strategyCase.CreateLoaded();
        using NativeStrategyHandle handle = NativeHandles.Create(strategy);
        RunAndBalance(strategyCase, strategy, handle.Pointer);
        Assert.Null(strategyCase.AllBlocksFree(strategy));
    }

    /// <summary>
    /// The same load on a pool created as its export creates it, whose allocate and deallocate then run in C
    /// (native/memory_strategy_calls.c, compiled here and registered with the runtime): pthreads attach to the runtime
    /// on their first call, work on their own caches in C, hand blocks to each other, and exit.
    /// </summary>
    [RequiresGccTheory]
    [InlineData("MemoryPool")]
    [InlineData("MemoryPool (strict)")]
    public void C_threads_served_in_C_never_share_a_block_and_the_books_balance(string name)
    {
        _ = CachedCalls.Library;
        StrategyCase strategyCase = StrategyCatalog.Get(name);
        IMemoryStrategy strategy = strategyCase.CreateLoaded();
        NativeMemoryStrategy* pointer = NativeExports.Publish(strategy, NativeHandles.Create(strategy));
        Assert.NotEqual(0, NativeVtableSlots.BlockCacheOf(NativeVtableSlots.From(pointer))->Published);
        try
        {
            RunAndBalance(strategyCase, strategy, pointer);
        }
        finally
        {
            Assert.True(NativeExports.Destroy(pointer));
        }

        Assert.Null(strategyCase.AllBlocksFree(strategy));
    }

    private void RunAndBalance(StrategyCase strategyCase, IMemoryStrategy strategy, NativeMemoryStrategy* pointer)
    {
        int seed = Seeds.Next(output);
        var reports = new StressReport[Threads];
        var run = (delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, int, long, ulong, nuint, StressReport*, int>)
            NativeLibrary.GetExport(Library.Value, "stress_run");

        fixed (StressReport* first = reports)
        {
            Assert.Equal(0, run(pointer, Threads, Seeds.Operations, (ulong)seed, strategyCase.LoadSize, first));
        }

        StressReport total = reports.Aggregate(default(StressReport), (a, b) => a + b);
        output.WriteLine($"{total}");
        StrategyStatistics stats = strategy.StatusTracker.GetStatistics();
        Assert.Equal(0, total.Corrupted);
        Assert.True(total.HandedOff >= Threads * 256L, $"seed {seed}: only {total.HandedOff} blocks crossed threads");
        Assert.Equal(total.Served, total.Freed);
        Assert.Equal(total.Served, stats.Allocations);
        Assert.Equal(total.Freed, stats.Deallocations);
        Assert.Equal(total.Failed, stats.FailedAllocations);
        Assert.Equal(total.Bytes, stats.BytesRequested);
        Assert.Equal(0, stats.RefusedAllocations + stats.RefusedDeallocations + stats.LiveAllocations);
    }

    public static TheoryData<string> StrategyNames() => StrategyCatalog.Names();

    /// <summary>Mirrors <c>StressReport</c> in <c>stress_workers.c</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct StressReport(long Served, long Failed, long Freed, long HandedOff, long Bytes, long Corrupted)
    {
        public static StressReport operator +(StressReport a, StressReport b) => new(
            a.Served + b.Served, a.Failed + b.Failed, a.Freed + b.Freed, a.HandedOff + b.HandedOff, a.Bytes + b.Bytes, a.Corrupted + b.Corrupted);
    }
}
