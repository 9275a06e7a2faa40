namespace MemoryStrategy.Abstractions.Tests;

/// <summary>
/// The test classes that make many trackers, or that check which index a new tracker gets: run one after the other, so
/// the indices one class frees are not taken by another meanwhile.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TrackerIndexCollection
{
    public const string Name = "Tracker indices";
}
