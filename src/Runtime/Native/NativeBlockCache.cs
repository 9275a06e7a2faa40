using System;
using System.Runtime.CompilerServices;

namespace MemoryStrategy;

/// <summary>
/// Where a strategy keeps each thread's cache of free blocks, so that <c>allocate</c> and <c>deallocate</c> through
/// the C vtable can run in C (<c>native/memory_strategy_calls.c</c>) instead of crossing into .NET on every call. It
/// describes the reference pool's design: each thread's <see cref="StrategyThread"/> (of type <see cref="ThreadType"/>)
/// holds a stack of free block indices, and block <c>i</c> lies at <c>Start + i * Stride</c> of the strategy's
/// <see cref="NativeBlockOwnership"/>, allocated exactly when its state byte is <c>Allocated</c>.
/// </summary>
/// <remarks>
/// <para>
/// What C does with it, on the calling thread's object (the one <see cref="StatusTracker.CurrentThread"/> returns
/// there, pinned by the runtime while C may use it), and what the strategy's own code must therefore respect: the
/// owner enters its cache with a plain store of 1 to the <c>int</c> at <see cref="BusyOffset"/>, then reads the
/// <c>int</c> at <see cref="StealLockOffset"/> (nonzero: it stores 0 back and leaves the call to .NET), and leaves with
/// a release store of 0; a thread that takes blocks from another thread's cache sets the lock by CAS, runs
/// <see cref="System.Threading.Interlocked.MemoryBarrierProcessWide"/> and waits for the busy flag to read 0 (and for
/// whatever else the strategy's .NET fast path uses as the owner's flag: the reference pool's uses the call's in-call
/// mark, <see cref="StrategyThread.CallDepth"/>, and its thieves wait for both). The stack
/// is the <c>int*</c> at <see cref="ItemsOffset"/>, its depth the <c>int</c> at <see cref="CountOffset"/>, its size
/// the <c>int</c> at <see cref="CapacityOffset"/>. Those four <c>int</c> fields follow the stack pointer at fixed
/// distances, as in the reference pool's thread object: the depth 8 bytes after it, the size 12, the busy flag 16, the
/// lock 20 (the C fast paths are compiled for that layout; the constructor refuses any other). An allocation pops the top index and stores the allocated state;
/// a free checks that the state is allocated and stores <see cref="FreeState"/> (by CAS when
/// <see cref="Strict"/>), then pushes the index. Both count in the thread's statistics as the generated code does.
/// </para>
/// <para>
/// Everything else goes to the generated thunks: the first call on a thread, a status other than Ready (allocate) or
/// Ready, Degraded and Faulted (deallocate), a size of 0 or above <see cref="MaxSize"/>, an empty or full stack, a held
/// lock, a refused pointer and the statistics' rare cases. The runtime uses it only for a strategy created through a
/// generated <c>prefix_create</c> export that also describes its blocks (<see cref="INativeBlockOwnership"/>), and only
/// in a library that links the C calls (the NativeAOT library <c>native/MemoryPool.Native</c> does).
/// </para>
/// </remarks>
public readonly struct NativeBlockCache
{
    /// <summary>
    /// Describes the caches; see the type's remarks for what each value means. Each offset must be that of a field of
    /// <paramref name="threadType"/> of the stated type, as <see cref="OffsetOf"/> computes it: C writes through them
    /// into the object, and cannot check them.
    /// </summary>
    /// <param name="threadType">The type of the strategy's <see cref="StrategyThread"/> objects, which the offsets describe.</param>
    /// <param name="stride">The distance between two blocks: <c>2^Shift * m</c> of the block description.</param>
    /// <param name="maxSize">The largest request C serves (at most the strategy's <see cref="IMemoryStrategy.MaxAllocationSize"/>).</param>
    /// <param name="strict">Whether a free changes the state byte by CAS.</param>
    /// <param name="freeState">The state byte of a free block.</param>
    /// <param name="itemsOffset">The offset of the <c>int*</c> stack of free block indices.</param>
    /// <param name="countOffset">The offset of the <c>int</c> number of indices on the stack.</param>
    /// <param name="capacityOffset">The offset of the <c>int</c> number of indices the stack holds at most.</param>
    /// <param name="busyOffset">The offset of the <c>int</c> busy flag the owner sets around each access.</param>
    /// <param name="stealLockOffset">The offset of the <c>int</c> lock another thread holds while it takes blocks.</param>
    /// <exception cref="ArgumentException">
    /// The type is not a <see cref="StrategyThread"/>, an offset is out of range, or the four <c>int</c> fields do not
    /// follow the stack pointer at 8, 12, 16 and 20 bytes (see the type's remarks).
    /// </exception>
    public NativeBlockCache(
        Type threadType,
        nuint stride,
        nuint maxSize,
        bool strict,
        byte freeState,
        int itemsOffset,
        int countOffset,
        int capacityOffset,
        int busyOffset,
        int stealLockOffset)
    {
        ArgumentNullException.ThrowIfNull(threadType);
        if (!typeof(StrategyThread).IsAssignableFrom(threadType))
        {
            throw new ArgumentException("The thread type must derive from StrategyThread.", nameof(threadType));
        }

        ArgumentOutOfRangeException.ThrowIfZero(stride);
        ArgumentOutOfRangeException.ThrowIfZero(maxSize);
        ItemsOffset = CheckOffset(itemsOffset, IntPtr.Size, nameof(itemsOffset));
        CountOffset = CheckOffset(countOffset, sizeof(int), nameof(countOffset));
        CapacityOffset = CheckOffset(capacityOffset, sizeof(int), nameof(capacityOffset));
        BusyOffset = CheckOffset(busyOffset, sizeof(int), nameof(busyOffset));
        StealLockOffset = CheckOffset(stealLockOffset, sizeof(int), nameof(stealLockOffset));
        if (countOffset != itemsOffset + CountDistance || capacityOffset != itemsOffset + CapacityDistance
            || busyOffset != itemsOffset + BusyDistance || stealLockOffset != itemsOffset + StealLockDistance)
        {
            throw new ArgumentException(
                $"The cache's int fields must follow the stack pointer at {CountDistance} (count), {CapacityDistance} (capacity), {BusyDistance} (busy flag) and {StealLockDistance} (steal lock) bytes: the C fast paths are compiled for that layout.",
                nameof(countOffset));
        }

        ThreadType = threadType;
        Stride = stride;
        MaxSize = maxSize;
        Strict = strict;
        FreeState = freeState;
    }

    /// <summary>The distance from the stack pointer to the <c>int</c> depth of the stack (see the type's remarks).</summary>
    public const int CountDistance = 8;

    /// <summary>The distance from the stack pointer to the <c>int</c> size of the stack.</summary>
    public const int CapacityDistance = 12;

    /// <summary>The distance from the stack pointer to the owner's <c>int</c> busy flag.</summary>
    public const int BusyDistance = 16;

    /// <summary>The distance from the stack pointer to the thieves' <c>int</c> lock.</summary>
    public const int StealLockDistance = 20;

    /// <summary>The type of the strategy's <see cref="StrategyThread"/> objects; a thread whose object is of another type is served by .NET.</summary>
    public Type ThreadType { get; }

    /// <summary>The distance between two blocks.</summary>
    public nuint Stride { get; }

    /// <summary>The largest request served in C.</summary>
    public nuint MaxSize { get; }

    /// <summary>Whether a free changes the state byte by CAS.</summary>
    public bool Strict { get; }

    /// <summary>The state byte of a free block.</summary>
    public byte FreeState { get; }

    /// <summary>The offset, from the thread object's first field, of the <c>int*</c> stack of free block indices.</summary>
    public int ItemsOffset { get; }

    /// <summary>The offset of the <c>int</c> number of indices on the stack.</summary>
    public int CountOffset { get; }

    /// <summary>The offset of the <c>int</c> capacity of the stack.</summary>
    public int CapacityOffset { get; }

    /// <summary>The offset of the owner's <c>int</c> busy flag.</summary>
    public int BusyOffset { get; }

    /// <summary>The offset of the thieves' <c>int</c> lock.</summary>
    public int StealLockOffset { get; }

    /// <summary>
    /// The offset of <paramref name="field"/>, a field of <paramref name="instance"/>, from the object's first field:
    /// what the constructor's offsets are measured from. Any instance of the type gives the same answer (one made by
    /// <see cref="RuntimeHelpers.GetUninitializedObject"/> will do).
    /// </summary>
    /// <typeparam name="T">The field's type.</typeparam>
    /// <param name="instance">An object of the thread type.</param>
    /// <param name="field">A field of <paramref name="instance"/>.</param>
    /// <returns>The offset in bytes.</returns>
    public static int OffsetOf<T>(StrategyThread instance, ref readonly T field)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return (int)Unsafe.ByteOffset(ref Unsafe.As<RawObject>(instance).FirstField, ref Unsafe.As<T, byte>(ref Unsafe.AsRef(in field)));
    }

    private static int CheckOffset(int offset, int size, string name)
    {
        // Aligned (C reads each field with one load), and within reach of the C description's 16-bit offsets.
        if (offset < 0 || offset > ushort.MaxValue - size || offset % size != 0)
        {
            throw new ArgumentOutOfRangeException(name, offset, "An offset must be aligned to its field's size and below 64 KiB.");
        }

        return offset;
    }

    /// <summary>Any object seen through this type: its field is the object's first field.</summary>
    private sealed class RawObject
    {
#pragma warning disable CS0649 // Never assigned: only its address is taken, of objects of other types.
        public byte FirstField;
#pragma warning restore CS0649
    }
}

/// <summary>
/// A strategy whose per-thread caches are described to C (<see cref="NativeBlockCache"/>), on top of its blocks
/// (<see cref="INativeBlockOwnership"/>): from C, <c>allocate</c> and <c>deallocate</c> through the vtable of a
/// strategy created by its <c>prefix_create</c> export then run in C in the common case, with no call into .NET.
/// </summary>
public interface INativeBlockCache : INativeBlockOwnership
{
    /// <summary>
    /// The description of the strategy's thread caches, valid until the strategy is disposed, or false when it has
    /// none. C follows exactly the protocol the description's remarks give: the strategy's own fast path must be that
    /// one, or C and .NET would disagree on the caches.
    /// </summary>
    /// <param name="cache">The description.</param>
    /// <returns>Whether there is one.</returns>
    bool TryDescribeBlockCache(out NativeBlockCache cache);
}
