namespace MemoryStrategy.Samples.Tests;

/// <summary>
/// Tests that race threads against each other run alone: on a 2-core machine, other tests running beside them
/// would take the cores their threads need to overlap.
/// </summary>
[CollectionDefinition(nameof(RacingTests), DisableParallelization = true)]
public sealed class RacingTests;
