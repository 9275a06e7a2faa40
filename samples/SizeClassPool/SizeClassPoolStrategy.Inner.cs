using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace MemoryStrategy.Samples;

// The inner strategies: each thread's objects of them, the fallback's two paths, and their validity and disposal.
public sealed unsafe partial class SizeClassPoolStrategy
{
    /// <summary>
    /// Requests above 32 KiB and those of an exhausted class. The default fallback (any
    /// <see cref="NativePassThroughStrategy"/>) is called through its nested entry points like the class pools, with
    /// its statistics per <see cref="SizeClassPoolOptions.InnerStatistics"/>; any other strategy through its public
    /// members, with its own lookup, gate and statistics. Out of line: the loop that inlines the class path stays small.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void* AllocateInFallback(nuint size, StrategyThread thread)
    {
        // A type test (one compare of a sealed type's method table), off the class path.
        NativePassThroughStrategy? native = _fallback as NativePassThroughStrategy;

        // The size check the nested entry point leaves to its holder (an exhausted class's request is at most 32 KiB).
        if (native is not null && size <= native.MaxAllocationSize)
        {
            return native.AllocateNested(InnerThreads.Get(InnerThreads.Of(thread), InnerThreads.FallbackSlot, native), size, _innerStatistics);
        }

        try
        {
            void* block = _fallback.Allocate(size);
            if (block is not null)
            {
                // Remembered as served through this pool (see FreeInFallback). An address still there (a block of ours
                // the caller freed through the fallback itself, now handed out again) stays: it is live either way.
                _fallbackBlocks!.TryAdd((nint)block);
            }

            return block;
        }
        catch (Exception error)
        {
            FallbackFailed(error);
            return null;
        }
    }

    /// <summary>
    /// A fallback of another type threw (its own wrapper faults it only when it has fault handlers). This pool runs
    /// without handlers (<c>FaultOnCoreException = false</c>), and an exception through it would leave the calling
    /// thread marked in a call, so that a later <see cref="Dispose"/> would wait for that thread to exit; and this
    /// core cannot end the call itself, since it may have been reached through <c>AllocateNested</c>, where no call was
    /// marked. So the exception stops here: it is kept in <see cref="FallbackException"/>, the fallback is faulted (it
    /// cannot be trusted to serve; the fault is traced, and this pool's next validation faults the pool too, through
    /// <see cref="StatusTracker.FailedInnerStrategies"/>), and the request fails: an allocation returns null, a free is
    /// refused.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void FallbackFailed(Exception error)
    {
        // Only the first is kept: later ones come from a fallback already known broken. CAS: racing failures keep one.
        Interlocked.CompareExchange(ref _fallbackException, error, null);
        _fallback.StatusTracker.TryFault();
    }

    /// <summary>
    /// A pointer outside the classes' reservation: the fallback's, or nobody's. It goes to the fallback either way, so
    /// the fallback decides and counts a refusal in its own statistics.
    /// </summary>
    /// <remarks>
    /// A fallback of another type is asked through its public members, and its <c>Owns</c> may not know its own blocks
    /// (a strategy with no <c>[Owns]</c> answers false for every pointer, MEM3002): asked first, it made every free of a
    /// block it served through this pool count here as refused, and left the block live in this pool's statistics (and
    /// reported as leaked at <c>Dispose</c>), although the fallback took it back. So the blocks it served through this
    /// pool are remembered (<see cref="_fallbackBlocks"/>, only on this path): one of them is freed and counted as a free
    /// with no question (of two racing frees of it, one finds it), and only any other pointer is put to <c>Owns</c>
    /// first, as before: a block the caller took from the fallback directly, a freed one, a foreign one.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool FreeInFallback(void* ptr, StrategyThread thread)
    {
        // A type test (one compare of a sealed type's method table), off the class path.
        NativePassThroughStrategy? native = _fallback as NativePassThroughStrategy;
        if (native is not null)
        {
            return native.DeallocateNested(InnerThreads.Get(InnerThreads.Of(thread), InnerThreads.FallbackSlot, native), ptr, _innerStatistics);
        }

        try
        {
            if (_fallbackBlocks!.TryRemove((nint)ptr))
            {
                _fallback.Deallocate(ptr);
                return true;
            }

            bool owned = _fallback.Owns(ptr);
            _fallback.Deallocate(ptr);
            return owned;
        }
        catch (Exception error)
        {
            // Refused: whether the fallback took the block back is unknown (see FallbackFailed).
            FallbackFailed(error);
            return false;
        }
    }

    /// <summary>
    /// This strategy serves through its inner strategies, so it is valid only while each of them is: a class pool or
    /// fallback that is faulted or disposed (or whose own <c>[Validate]</c> fails) makes this strategy invalid, and the
    /// generated <c>Validate</c> then faults it, so it refuses allocations (frees are still taken back). A Degraded
    /// class pool is valid: its requests overflow to the fallback.
    /// </summary>
    /// <remarks>
    /// The inner strategies' statuses are one read, whatever their number: each one attached here counts itself in
    /// this tracker's <see cref="StatusTracker.FailedInnerStrategies"/> when it faults or is disposed (reading the 22
    /// class pools' status words, each on a line of its own, was half of this check's time). The class pools have no
    /// <c>[Validate]</c> of their own and are validated by the constructor; the fallback may be any strategy, with a
    /// check of its own: it is asked.
    /// </remarks>
    [Validate]
    private bool InnerStrategiesValid() => StatusTracker.FailedInnerStrategies == 0 && _fallback.Validate();

    /// <summary>
    /// The classes as C sees them, for the C allocate and deallocate of a pool made by <c>size_class_pool_create</c>:
    /// each class pool's blocks and caches, the class of each size, the class of each granule of the reservation. None
    /// with <see cref="SizeClassPoolOptions.InnerStatistics"/> (the C calls count in this strategy's statistics only),
    /// nor with a limit below the smallest class.
    /// </summary>
    bool INativeSizeClasses.TryDescribeSizeClasses([NotNullWhen(true)] out NativeSizeClasses? classes)
    {
        classes = null;

        // A limit below the smallest class (16 B) leaves the C calls' size table no entry (its first serves 1-16 B): the
        // thunks then serve every size, as .NET does, and refuse those above the limit.
        if (_innerStatistics || _reservation is null || MaxAllocationSize < 16)
        {
            return false;
        }

        var described = new (NativeBlockOwnership Blocks, NativeBlockCache Cache)[_classes.Length];
        for (int i = 0; i < _classes.Length; i++)
        {
            MemoryPoolStrategy pool = _classes[i];
            if (!((INativeBlockOwnership)pool).TryDescribeBlocks(out NativeBlockOwnership blocks)
                || !((INativeBlockCache)pool).TryDescribeBlockCache(out NativeBlockCache cache))
            {
                return false;
            }

            described[i] = (blocks, cache);
        }

        // Entry k serves sizes 16k + 1 .. 16k + 16, all in one class (every class is a multiple of 16 bytes); sizes above
        // this strategy's own limit stay with .NET, which refuses them.
        nuint largest = Math.Min((nuint)SizeClasses.Largest, MaxAllocationSize) & ~(nuint)15;
        var classOfSize = new byte[(int)(largest / 16)];
        for (int k = 0; k < classOfSize.Length; k++)
        {
            classOfSize[k] = (byte)SizeClasses.IndexOf((nuint)(16 * (k + 1)));
        }

        StatusTracker[] trackers = Array.ConvertAll(_classes, pool => pool.StatusTracker);
        classes = new NativeSizeClasses(
            typeof(SizeClassPoolThread), classOfSize, described, trackers, _reservation.Start, ClassReservation.GranuleShift, _owners);
        return true;
    }

    /// <summary>The calling thread's object of class <paramref name="index"/>'s pool, as the class path finds it.</summary>
    StrategyThread INativeSizeClasses.CurrentClassThread(int index) =>
        InnerThreads.Get(InnerThreads.Of(StatusTracker.CurrentThread), index, _classes[index]);

    [Cleanup]
    private void DisposeInnerStrategies()
    {
        // This strategy is Disposed now, so its inner strategies may be disposed (see StatusTracker.AttachTo). The
        // class pools go before the reservation that holds their blocks. A constructor that failed part-way leaves
        // nulls behind.
        foreach (MemoryPoolStrategy? pool in _classes)
        {
            pool?.Dispose();
        }

        // The fallback when this pool took it over (attached), or made it; a supplied fallback that a failed
        // constructor did not take over stays the caller's. Its Dispose may throw (a supplied strategy's own, or a
        // tracked one whose core threw while its live blocks went back): the exception reaches the caller, but only
        // after the reservation, which no class pool uses any more, has been freed too.
        try
        {
            if (!_fallbackSupplied || ReferenceEquals(_fallback.StatusTracker.Owner, StatusTracker))
            {
                _fallback.Dispose();
            }
        }
        finally
        {
            _reservation?.Dispose();
        }
    }
}
