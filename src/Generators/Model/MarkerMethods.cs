namespace MemoryStrategy.SourceGeneration;

/// <summary>The names of the user's core methods (escaped), one per marker; the optional ones are null when absent.</summary>
/// <param name="Allocate">The <c>[Allocate]</c> method.</param>
/// <param name="Deallocate">The <c>[Deallocate]</c> method.</param>
/// <param name="Owns">The <c>[Owns]</c> method, if any.</param>
/// <param name="Validate">The <c>[Validate]</c> method, if any.</param>
/// <param name="Cleanup">The <c>[Cleanup]</c> method, if any.</param>
/// <param name="DeallocateReportsOwnership">
/// Whether <c>[Deallocate]</c> returns <see langword="bool"/>: it decides ownership itself (false = refused), so the
/// generated <c>Deallocate</c> does not ask <c>[Owns]</c> first.
/// </param>
/// <param name="AllocateTakesThread">Whether <c>[Allocate]</c> takes the calling thread's <c>StrategyThread</c>.</param>
/// <param name="DeallocateTakesThread">Whether <c>[Deallocate]</c> takes the calling thread's <c>StrategyThread</c>.</param>
/// <param name="AllocateSlow">The <c>[AllocateSlow]</c> method, if any: <c>[Allocate]</c> is then the fast half.</param>
/// <param name="DeallocateSlow">The <c>[DeallocateSlow]</c> method, if any: <c>[Deallocate]</c> is then the fast half.</param>
internal sealed record MarkerMethods(
    string Allocate,
    string Deallocate,
    string? Owns,
    string? Validate,
    string? Cleanup,
    bool DeallocateReportsOwnership,
    bool AllocateTakesThread,
    bool DeallocateTakesThread,
    SlowCore? AllocateSlow,
    SlowCore? DeallocateSlow);

/// <summary>The slow half of a split core (<c>[AllocateSlow]</c>, <c>[DeallocateSlow]</c>).</summary>
/// <param name="Name">The method (escaped).</param>
/// <param name="TakesThread">Whether it takes the calling thread's <c>StrategyThread</c>.</param>
/// <param name="ReportsOwnership">For <c>[DeallocateSlow]</c>: whether it returns <see langword="bool"/> (false = refused).</param>
internal sealed record SlowCore(string Name, bool TakesThread, bool ReportsOwnership);
