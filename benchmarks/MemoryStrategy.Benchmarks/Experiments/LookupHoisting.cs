using System.Runtime.CompilerServices;

namespace MemoryStrategy.Benchmarks.Experiments;

/// <summary>
/// Whether the JIT takes the thread-local access out of a loop. The tracker's lookup (<see cref="StatusTracker.CurrentThread"/>:
/// the runtime's thread-local access, then the thread's slots, the tracker's slot and the key compare) in two loops that
/// differ only in how many values they carry from one iteration to the next, each beside the same loop reading a thread
/// object held from before the loop. The thread-local access is invariant in both. CoreCLR's loop-invariant code motion
/// hoists it out of the first (the tier-1 listing, <c>DOTNET_JitDisasm=LookupWithFewValues</c>, calls
/// <c>__tls_get_addr</c> before the loop) and leaves it in the second (the call is inside the loop): a loop that inlines a
/// strategy's <c>Allocate</c> carries at least as many, which is why every call in docs/benchmarks.md pays the access.
/// </summary>
internal static class LookupHoisting
{
    /// <summary>The lookup, and one running sum.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long LookupWithFewValues(StatusTracker tracker, int calls)
    {
        long sum = 0;
        for (int i = 0; i < calls; i++)
        {
            sum += tracker.CurrentThread.CallDepth;
        }

        return sum;
    }

    /// <summary><see cref="LookupWithFewValues"/> with the thread object held: no lookup.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long HeldWithFewValues(StrategyThread thread, int calls)
    {
        long sum = 0;
        for (int i = 0; i < calls; i++)
        {
            sum += thread.CallDepth;
        }

        return sum;
    }

    /// <summary>The lookup, and six more values carried from one iteration to the next (a short dependent mix).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long LookupWithManyValues(StatusTracker tracker, int calls)
    {
        long a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, sum = 0;
        for (int i = 0; i < calls; i++)
        {
            int depth = tracker.CurrentThread.CallDepth;
            a += depth ^ i;
            b ^= a + 1;
            c += b >> 1;
            d ^= c + i;
            e += d >> 2;
            f ^= e + 3;
            sum += f;
        }

        return sum + a + b + c + d + e;
    }

    /// <summary><see cref="LookupWithManyValues"/> with the thread object held: no lookup.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long HeldWithManyValues(StrategyThread thread, int calls)
    {
        long a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, sum = 0;
        for (int i = 0; i < calls; i++)
        {
            int depth = thread.CallDepth;
            a += depth ^ i;
            b ^= a + 1;
            c += b >> 1;
            d ^= c + i;
            e += d >> 2;
            f ^= e + 3;
            sum += f;
        }

        return sum + a + b + c + d + e;
    }
}
