namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// The in-call guard: a strategy whose <c>Dispose</c> releases memory (its <c>[Cleanup]</c>, or a <c>TrackAllocations</c>
/// strategy's live blocks handed back to its core) marks each call on its thread's <c>StrategyThread</c>
/// (<c>EnterCall</c> before the status read, <c>ExitCall</c> after the core returned), and its <c>Dispose</c> waits for
/// the marks to clear before it releases anything (<c>StatusTracker.WaitForCallsInFlight</c>, which carries the
/// memory-ordering argument). A call pays two plain stores to its own thread's line; a strategy that releases nothing at
/// <c>Dispose</c> pays nothing.
/// </summary>
internal static partial class StrategyEmitter
{
    /// <summary>
    /// Whether the strategy's calls are guarded against a racing <c>Dispose</c>: it has a <c>[Cleanup]</c>, or it tracks
    /// its allocations (an allocation admitted before Disposed must be in the registry before the release empties it).
    /// </summary>
    private static bool GuardsCalls(StrategyModel model) => model.Markers.Cleanup is not null || model.TrackAllocations;

    /// <summary>The entry of a guarded call, before the status read that admits it.</summary>
    private const string EnterCall = """
        // Marked in a call before the status read: a Dispose that runs meanwhile either sees the mark and waits for
        // ExitCall before its cleanup, or made the status Disposed before this read, which then refuses the call.
        thread.EnterCall();
        """;

    /// <summary>The exit of a guarded call (a release store): the core's accesses come before it.</summary>
    private const string ExitCall = "thread.ExitCall();";

    /// <summary>What a guarded <c>...Admitted</c> method's handler does after faulting: leave the call, then rethrow.</summary>
    private const string ExitCallAndRethrow = ExitCall + "\nthrow;";

    /// <summary>
    /// A guarded strategy without fault handlers still gets an <c>...Admitted</c> method, inlined, so that the gate can
    /// leave the call after it returns whichever way the body ends.
    /// </summary>
    private static bool HasAdmittedMethod(StrategyModel model) => model.FaultOnCoreException || GuardsCalls(model);

    /// <summary>
    /// Whether a guarded strategy's body leaves the call itself, on every way out: with no fault handler and no option
    /// whose refusals end the body early (<c>TrackAllocations</c>, <c>PoisonFreedMemory</c>), its ends are the
    /// statistics' records, and the tracker handle's <c>...AndExitCall</c> methods record and leave the call, the
    /// rare cases out of line. The caller then keeps neither the thread nor the block across those calls: inlined
    /// into a user's loop, each value live across a call takes a callee-saved register or a stack slot on every call.
    /// </summary>
    private static bool ExitsCallInBody(StrategyModel model) =>
        GuardsCalls(model) && !model.FaultOnCoreException && !model.TrackAllocations && !model.PoisonFreedMemory;
}
