using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MemoryStrategy;

/// <summary>
/// The C interface's validator as C functions: <c>validate_strategy</c>, <c>validate_allocation</c> and
/// <c>validate_deallocation</c> (declared in <c>include/memory_strategy.h</c>), exported from a NativeAOT library
/// that lists <c>MemoryStrategy.Runtime</c> in <c>UnmanagedEntryPointsAssembly</c>. They work on any
/// <c>MemoryStrategy*</c>: one created by a generated strategy, or one written in C.
/// </summary>
/// <remarks>
/// <para>
/// A faster form of the same functions is written in C (<c>native/memory_strategy_validators.c</c>): linked into a
/// NativeAOT library instead of listing this assembly's entry points (as <c>native/MemoryPool.Native</c> does), it
/// answers from the struct's memory and calls these methods, through function pointers in the slot page's header
/// (<see cref="NativeVtableSlots.PageHeader"/>), only when the answer needs .NET: the first validation, a strategy's own
/// <c>[Validate]</c>, ownership. Each call here on a live struct publishes the strategy's limit for that C code once it
/// is fixed (<see cref="NativeVtableSlots.PublishLimit"/>).
/// </para>
/// <para>
/// For a strategy written in C# the checks are <see cref="StrategyValidator"/>'s, including its
/// <see cref="IMemoryStrategy.MaxAllocationSize"/> and <see cref="IMemoryStrategy.Owns"/>. A struct written in C
/// carries neither, so for it: the struct is non-NULL, its four functions and <c>status_tracker</c> are user-space
/// addresses (so random bytes are refused, not called),
/// <c>get_status</c> is neither Faulted nor Disposed, and <c>validate</c> returns true; a size is valid when
/// <c>0 &lt; size &lt;= PTRDIFF_MAX</c> (no C object is larger); a pointer is valid when it is not NULL.
/// </para>
/// <para>Pure, lock-free and re-entrant; no exception ever unwinds into the caller (one counts as "not valid").</para>
/// </remarks>
public static unsafe class NativeValidators
{
    /// <summary>C: <c>bool validate_strategy(const MemoryStrategy* strategy)</c>.</summary>
    /// <param name="strategy">Any strategy struct, or NULL.</param>
    /// <returns>1 when valid, else 0.</returns>
    [UnmanagedCallersOnly(EntryPoint = "validate_strategy", CallConvs = [typeof(CallConvCdecl)])]
    public static byte ValidateStrategyExport(NativeMemoryStrategy* strategy) => ToC(ValidateStrategy(strategy));

    /// <summary>C: <c>bool validate_allocation(const MemoryStrategy* strategy, size_t size)</c>.</summary>
    /// <param name="strategy">Any strategy struct, or NULL.</param>
    /// <param name="size">The size that would be requested.</param>
    /// <returns>1 when valid, else 0.</returns>
    [UnmanagedCallersOnly(EntryPoint = "validate_allocation", CallConvs = [typeof(CallConvCdecl)])]
    public static byte ValidateAllocationExport(NativeMemoryStrategy* strategy, nuint size) =>
        ToC(ValidateAllocation(strategy, size));

    /// <summary>C: <c>bool validate_deallocation(const MemoryStrategy* strategy, const void* ptr)</c>.</summary>
    /// <param name="strategy">Any strategy struct, or NULL.</param>
    /// <param name="ptr">The pointer that would be freed.</param>
    /// <returns>1 when valid, else 0.</returns>
    [UnmanagedCallersOnly(EntryPoint = "validate_deallocation", CallConvs = [typeof(CallConvCdecl)])]
    public static byte ValidateDeallocationExport(NativeMemoryStrategy* strategy, void* ptr) =>
        ToC(ValidateDeallocation(strategy, ptr));

    /// <summary>
    /// The ownership question alone (<see cref="IMemoryStrategy.Owns"/>), for the C <c>validate_deallocation</c> once it
    /// has read a serving status of a strategy validated by its status (<see cref="NativeVtableSlots.PageHeader.Owns"/>):
    /// one interface call instead of the whole validation. False for anything but a live struct of the runtime.
    /// </summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static byte OwnsExport(NativeMemoryStrategy* strategy, void* ptr)
    {
        try
        {
            return ToC(ptr != null && NativeVtableSlots.IsLiveSlot(strategy)
                && NativeStrategyHandle.LiveSlotTarget(strategy) is IMemoryStrategy managed && managed.Owns(ptr));
        }
        catch (System.Exception)
        {
            return 0;
        }
    }

    /// <summary>The check behind <c>validate_strategy</c>, callable from C#.</summary>
    /// <param name="strategy">Any strategy struct, or null.</param>
    /// <returns>Whether the strategy may be used.</returns>
    public static bool ValidateStrategy(NativeMemoryStrategy* strategy)
    {
        try
        {
            // Ours (one read of the page's tag word, inlined): the strategy's own checks. A disposed handle's
            // strategy is null, which every check refuses.
            if (NativeVtableSlots.IsLiveSlot(strategy))
            {
                IMemoryStrategy? managed = NativeStrategyHandle.LiveSlotTarget(strategy);
                bool valid = StrategyValidator.ValidateStrategy(managed);

                // The C validators answer from the slot from now on, once the limit can no longer change.
                NativeVtableSlots.PublishLimit(strategy, managed);
                return valid;
            }

            return strategy != null && ValidateForeign(strategy);
        }
        catch (System.Exception)
        {
            return false;
        }
    }

    /// <summary>The check behind <c>validate_allocation</c>, callable from C#.</summary>
    /// <param name="strategy">Any strategy struct, or null.</param>
    /// <param name="size">The size that would be requested.</param>
    /// <returns>Whether the request would be accepted.</returns>
    public static bool ValidateAllocation(NativeMemoryStrategy* strategy, nuint size)
    {
        try
        {
            // Ours (one read of the page's tag word, inlined): the strategy's own checks. A disposed handle's
            // strategy is null, which every check refuses.
            if (NativeVtableSlots.IsLiveSlot(strategy))
            {
                IMemoryStrategy? managed = NativeStrategyHandle.LiveSlotTarget(strategy);
                bool valid = StrategyValidator.ValidateAllocation(managed, size);

                // The C validators answer from the slot from now on, once the limit can no longer change.
                NativeVtableSlots.PublishLimit(strategy, managed);
                return valid;
            }

            return StrategyValidator.IsValidSize(size, (nuint)nint.MaxValue) && strategy != null && ValidateForeign(strategy);
        }
        catch (System.Exception)
        {
            return false;
        }
    }

    /// <summary>The check behind <c>validate_deallocation</c>, callable from C#.</summary>
    /// <param name="strategy">Any strategy struct, or null.</param>
    /// <param name="ptr">The pointer that would be freed.</param>
    /// <returns>Whether the deallocation would be accepted.</returns>
    public static bool ValidateDeallocation(NativeMemoryStrategy* strategy, void* ptr)
    {
        try
        {
            // Ours (one read of the page's tag word, inlined): the strategy's own checks. A disposed handle's
            // strategy is null, which every check refuses.
            if (NativeVtableSlots.IsLiveSlot(strategy))
            {
                IMemoryStrategy? managed = NativeStrategyHandle.LiveSlotTarget(strategy);
                bool valid = StrategyValidator.ValidateDeallocation(managed, ptr);

                // The C validators answer from the slot from now on, once the limit can no longer change.
                NativeVtableSlots.PublishLimit(strategy, managed);
                return valid;
            }

            return ptr != null && strategy != null && ValidateForeign(strategy);
        }
        catch (System.Exception)
        {
            return false;
        }
    }

    /// <summary>Interface compliance and health of a struct written in C.</summary>
    private static bool ValidateForeign(NativeMemoryStrategy* strategy)
    {
        // A pointer into the runtime's own slot memory that is not a slot (inside a real struct, say): refused before
        // any of its words is taken for a function pointer.
        if (NativeVtableSlots.IsInsideSlotPageOffSlot(strategy))
        {
            return false;
        }

        // Its functions are about to be called: every pointer must at least be a user-space address (a random 64-bit
        // word is one with probability 2^-17, so garbage memory is refused here rather than jumped into), and the
        // status word 4-aligned.
        if (!IsUserAddress(strategy->Allocate) || !IsUserAddress(strategy->Deallocate) || !IsUserAddress(strategy->GetStatus)
            || !IsUserAddress(strategy->Validate) || !IsUserAddress(strategy->StatusTracker) || ((nuint)strategy->StatusTracker & 3) != 0)
        {
            return false;
        }

        var status = (StrategyStatus)strategy->GetStatus(strategy);
        return status is StrategyStatus.Uninitialized or StrategyStatus.Ready or StrategyStatus.Degraded
            && strategy->Validate(strategy) != 0;
    }

    /// <summary>
    /// Whether <paramref name="pointer"/> can be a user-space address: at least 64 KiB (nothing is mapped below) and,
    /// on 64-bit platforms, below 2^47 (x64 and arm64 user space with 4-level paging).
    /// </summary>
    private static bool IsUserAddress(void* pointer) =>
        (ulong)(nuint)pointer - 0x10000 < (IntPtr.Size == 8 ? 1UL << 47 : 1UL << 32) - 0x10000;

    private static byte ToC(bool value) => value ? (byte)1 : (byte)0;
}
