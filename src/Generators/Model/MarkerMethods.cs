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
internal sealed record MarkerMethods(
    string Allocate,
    string Deallocate,
    string? Owns,
    string? Validate,
    string? Cleanup,
    bool DeallocateReportsOwnership,
    bool AllocateTakesThread,
    bool DeallocateTakesThread);
