using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MemoryStrategy;

public sealed partial class LivePointerRegistry
{
    /// <summary>
    /// What one 64-bit slot holds. A slot is a key (a live address), a key frozen by a resize, or a sentinel; the
    /// freeze bit tells them apart without a second word, so every transition is one compare-and-swap.
    /// </summary>
    /// <remarks>
    /// The freeze bit is a bit that is 0 in every user-space address: bit 63 (the kernel half) on x64 and on every
    /// 32-bit platform (addresses are zero-extended), bit 55 on Arm64, where bits 56-63 may carry a pointer tag (TBI,
    /// MTE) but bit 55 selects the kernel's translation table. A frozen key keeps its address readable (clear the bit),
    /// which is what lets any thread finish moving it. Addresses below 4096 are never mapped, so the sentinels can sit
    /// there with the freeze bit set and never equal a frozen key.
    /// </remarks>
    private static class SlotValue
    {
        public static readonly long FreezeBit = 1L << (RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 55 : 63);

        /// <summary>Never held anything: a probe stops here. Zero only in a table being filled by a resize.</summary>
        public static readonly long Free = FreezeBit | 1;

        /// <summary>Held a key that was removed: a probe goes on; an insert may reuse it.</summary>
        public static readonly long Tombstone = FreezeBit | 2;

        /// <summary>A resize has carried this slot's content (if any) to the new table: look there.</summary>
        public static readonly long Moved = FreezeBit | 3;

        /// <summary>
        /// A free slot of a table that a resize is still filling. Only copies write it; the resize turns every one into
        /// <see cref="Free"/> before the table opens, so a copy that arrives late (after the key was moved, and perhaps
        /// removed) finds nowhere to land and cannot bring the key back.
        /// </summary>
        public const long FillingFree = 0;

        private const long FirstTrackableAddress = 4096;

        /// <summary>The address as an unsigned 64-bit value (zero-extended on 32-bit platforms).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static long FromAddress(nint address) => (long)(ulong)(nuint)address;

        /// <summary>Whether <paramref name="value"/> can be stored as a key: a user-space address past the first page.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool IsKey(long value) => (value & FreezeBit) == 0 && (ulong)value >= FirstTrackableAddress;

        /// <summary>Whether <paramref name="value"/> is a key frozen by a resize.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool IsFrozenKey(long value) => (value & FreezeBit) != 0 && (ulong)(value & ~FreezeBit) >= FirstTrackableAddress;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static long Freeze(long key) => key | FreezeBit;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static long Thaw(long frozen) => frozen & ~FreezeBit;
    }
}
