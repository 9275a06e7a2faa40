using System.Collections.Immutable;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// The names under which the collections of .NET add an element (a list, a set, a dictionary, a stack, a queue, an
/// immutable collection). MEM1010 follows a local added under one of them into the collection field, and
/// <see cref="InnerStrategyAliases"/> the holder's own fields added that way.
/// </summary>
internal static class CollectionAddMethods
{
    public static ImmutableHashSet<string> Names { get; } =
        ImmutableHashSet.Create("Add", "Insert", "TryAdd", "Push", "Enqueue", "GetOrAdd", "AddOrUpdate", "SetItem");
}
