namespace MemoryStrategy;

/// <summary>
/// A snapshot of a strategy's counters, returned by <see cref="StatusTracker.GetStatistics"/>.
/// </summary>
/// <remarks>
/// Each thread keeps its own counters (its <see cref="StrategyThread"/>); they are summed when read. A snapshot taken while other threads allocate may
/// be momentarily inconsistent across fields (for example, a deallocation counted whose allocation is not yet
/// visible), but no field is ever torn; once the threads that used the strategy have been joined, the snapshot is
/// exact.
/// </remarks>
/// <param name="Allocations">Allocations served (the core returned a block).</param>
/// <param name="Deallocations">Blocks returned through a valid deallocation.</param>
/// <param name="FailedAllocations">Valid requests the core could not serve (it returned null: exhaustion).</param>
/// <param name="RefusedAllocations">Requests refused before reaching the core: size 0, above the limit, faulted or disposed strategy.</param>
/// <param name="RefusedDeallocations">Deallocations refused: null, foreign, interior or already-freed pointers, or after dispose.</param>
/// <param name="LiveAllocations">Blocks handed out and not yet returned (<c>Allocations - Deallocations</c>); after dispose, the leaked blocks.</param>
/// <param name="PeakLiveAllocations">
/// The highest <paramref name="LiveAllocations"/> observed. Exact while one thread uses the strategy; with several
/// threads it is sampled (every 1024 allocations of each thread, whenever a thread's live count doubles its
/// previous high, and at every snapshot), so it is a lower bound of the true peak.
/// </param>
/// <param name="BytesRequested">The sum of the sizes of the allocations served.</param>
public readonly record struct StrategyStatistics(
    long Allocations,
    long Deallocations,
    long FailedAllocations,
    long RefusedAllocations,
    long RefusedDeallocations,
    long LiveAllocations,
    long PeakLiveAllocations,
    long BytesRequested);
