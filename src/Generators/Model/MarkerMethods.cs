namespace MemoryStrategy.SourceGeneration;

/// <summary>The names of the user's core methods (escaped), one per marker; the optional ones are null when absent.</summary>
/// <param name="Allocate">The <c>[Allocate]</c> method.</param>
/// <param name="Deallocate">The <c>[Deallocate]</c> method.</param>
/// <param name="Owns">The <c>[Owns]</c> method, if any.</param>
/// <param name="Validate">The <c>[Validate]</c> method, if any.</param>
/// <param name="Cleanup">The <c>[Cleanup]</c> method, if any.</param>
internal sealed record MarkerMethods(string Allocate, string Deallocate, string? Owns, string? Validate, string? Cleanup);
