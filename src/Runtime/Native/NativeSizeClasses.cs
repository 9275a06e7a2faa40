using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;

namespace MemoryStrategy;

/// <summary>
/// How a strategy routes requests to size classes, each class a pool described as <see cref="INativeBlockCache"/>
/// describes one, so that <c>allocate</c> and <c>deallocate</c> through the C vtable can run in C
/// (<c>native/memory_strategy_calls.c</c>): the class of each size up to <see cref="Largest"/>, each class's blocks
/// and caches, and which class owns each granule of the address range the classes' blocks lie in.
/// </summary>
/// <remarks>
/// <para>
/// What C does with it: an allocation of 1 to <see cref="Largest"/> bytes while the strategy is Ready runs the class's
/// pool fast path (<see cref="NativeBlockCache"/>) on the calling thread's object of that class, and counts the
/// allocation in the strategy's own statistics (the class counts nothing, as a class called through its nested entry
/// point without its statistics); a free of a pointer in a granule some class owns runs that class's free fast path
/// (the ownership check included) and counts in the strategy's statistics. Everything else goes to the strategy's
/// generated thunk: larger sizes, pointers outside the classes' range, another status, an empty or full cache, a
/// thief, a refused pointer and the statistics' rare cases. An allocation is also left to the thunk while its class
/// is not Ready or Degraded (read from the class's own status word, <c>classTrackers</c>): a faulted class then
/// refuses through its nested entry point, and the strategy serves the request as it does an exhausted class's.
/// </para>
/// <para>
/// Limits of the C description: at most 31 classes, <see cref="Largest"/> at most 32 KiB, at most 2,048 granules. A
/// strategy beyond them keeps its thunks.
/// </para>
/// </remarks>
public sealed class NativeSizeClasses
{
    /// <summary>The most classes C takes.</summary>
    public const int MaxClasses = 31;

    /// <summary>The largest <see cref="Largest"/> C takes.</summary>
    public const int MaxLargest = 32 * 1024;

    /// <summary>The most granules C takes.</summary>
    public const int MaxGranules = 2048;

    /// <summary>Describes the classes; see the type's remarks for what C does with each value.</summary>
    /// <param name="threadType">The type of the strategy's own <see cref="StrategyThread"/> objects.</param>
    /// <param name="classOfSize">
    /// The class of each size, in steps of 16 bytes: entry <c>k</c> serves sizes <c>16k + 1</c> to <c>16k + 16</c>;
    /// <see cref="Largest"/> is <c>16 * classOfSize.Length</c>.
    /// </param>
    /// <param name="classes">Each class's blocks and caches, by class index.</param>
    /// <param name="classTrackers">Each class's status tracker, by class index (C reads the class's status word).</param>
    /// <param name="rangeStart">The first byte of the range the classes' blocks lie in.</param>
    /// <param name="granuleShift">The base-2 logarithm of a granule's size.</param>
    /// <param name="classOfGranule">The class owning each granule of the range (a class index).</param>
    /// <exception cref="ArgumentException">A value is out of the ranges C takes, or a class index is out of range.</exception>
    public unsafe NativeSizeClasses(
        Type threadType,
        ReadOnlySpan<byte> classOfSize,
        IReadOnlyList<(NativeBlockOwnership Blocks, NativeBlockCache Cache)> classes,
        IReadOnlyList<StatusTracker> classTrackers,
        void* rangeStart,
        int granuleShift,
        ReadOnlySpan<byte> classOfGranule)
    {
        ArgumentNullException.ThrowIfNull(threadType);
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(classTrackers);
        if (!typeof(StrategyThread).IsAssignableFrom(threadType))
        {
            throw new ArgumentException("The thread type must derive from StrategyThread.", nameof(threadType));
        }

        ArgumentOutOfRangeException.ThrowIfZero(classes.Count, nameof(classes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(classes.Count, MaxClasses, nameof(classes));
        if (classTrackers.Count != classes.Count)
        {
            throw new ArgumentException("One status tracker per class is needed.", nameof(classTrackers));
        }

        foreach (StatusTracker tracker in classTrackers)
        {
            ArgumentNullException.ThrowIfNull(tracker, nameof(classTrackers));
        }
        if (classOfSize.IsEmpty || classOfSize.Length > MaxLargest / 16)
        {
            throw new ArgumentException($"The size table needs 1 to {MaxLargest / 16} entries.", nameof(classOfSize));
        }

        if (classOfGranule.IsEmpty || classOfGranule.Length > MaxGranules)
        {
            throw new ArgumentException($"The granule table needs 1 to {MaxGranules} entries.", nameof(classOfGranule));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(granuleShift);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(granuleShift, 40);
        for (int k = 0; k < classOfSize.Length; k++)
        {
            // Each size's class must exist and hold it: C hands out the class's block without another check.
            int index = classOfSize[k];
            if (index >= classes.Count || classes[index].Cache.MaxSize < (nuint)(16 * (k + 1)))
            {
                throw new ArgumentException($"Sizes up to {16 * (k + 1)} bytes are routed to a class that cannot hold them.", nameof(classOfSize));
            }
        }

        foreach (byte index in classOfGranule)
        {
            if (index >= classes.Count)
            {
                throw new ArgumentException("A granule names a class that does not exist.", nameof(classOfGranule));
            }
        }

        ThreadType = threadType;
        ClassOfSize = classOfSize.ToArray();
        Classes = [.. classes];
        ClassTrackers = [.. classTrackers];
        RangeStart = (nuint)rangeStart;
        GranuleShift = granuleShift;
        ClassOfGranule = classOfGranule.ToArray();
    }

    /// <summary>The type of the strategy's own <see cref="StrategyThread"/> objects.</summary>
    public Type ThreadType { get; }

    /// <summary>The largest size routed to a class in C.</summary>
    public nuint Largest => (nuint)(16 * ClassOfSize.Length);

    /// <summary>The first byte of the range the classes' blocks lie in.</summary>
    public nuint RangeStart { get; }

    /// <summary>The base-2 logarithm of a granule's size.</summary>
    public int GranuleShift { get; }

    internal byte[] ClassOfSize { get; }

    internal (NativeBlockOwnership Blocks, NativeBlockCache Cache)[] Classes { get; }

    internal byte[] ClassOfGranule { get; }

    /// <summary>Each class's tracker: its status word gates the class's allocations in C.</summary>
    internal StatusTracker[] ClassTrackers { get; }
}

/// <summary>
/// A strategy that routes requests to size classes (<see cref="NativeSizeClasses"/>): from C, <c>allocate</c> and
/// <c>deallocate</c> through the vtable of a strategy created by its <c>prefix_create</c> export then run in C in the
/// common case, with no call into .NET.
/// </summary>
public interface INativeSizeClasses
{
    /// <summary>The description of the classes, valid until the strategy is disposed, or false when it has none.</summary>
    /// <param name="classes">The description.</param>
    /// <returns>Whether there is one.</returns>
    bool TryDescribeSizeClasses([NotNullWhen(true)] out NativeSizeClasses? classes);

    /// <summary>
    /// The calling thread's <see cref="StrategyThread"/> of class <paramref name="index"/>: the object whose cache that
    /// class's pool fast path uses on this thread (of the class's <see cref="NativeBlockCache.ThreadType"/>).
    /// </summary>
    /// <param name="index">The class.</param>
    /// <returns>The object.</returns>
    StrategyThread CurrentClassThread(int index);
}
