using System.Runtime.InteropServices;

namespace MemoryStrategy;

/// <summary>
/// The C <c>MemoryStrategy</c> struct (declared in <c>include/memory_strategy.h</c>), field for field: four
/// <c>cdecl</c> function pointers, then <c>strategy_data</c> and <c>status_tracker</c>. 48 bytes on 64-bit platforms.
/// </summary>
/// <remarks>
/// Obtain one from a generated strategy's <c>CreateNativeHandle()</c> (<see cref="NativeStrategyHandle.Pointer"/>) and
/// pass it to C code, which calls <c>strategy-&gt;allocate(strategy, size)</c> and so on. C's <c>bool</c> is one byte;
/// the status is a 32-bit integer with the values of <see cref="StrategyStatus"/>.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct NativeMemoryStrategy
{
    /// <summary><c>void* (*allocate)(MemoryStrategy* self, size_t size)</c>: null when refused or exhausted.</summary>
    public delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, nuint, void*> Allocate;

    /// <summary><c>void (*deallocate)(MemoryStrategy* self, void* ptr)</c>: invalid pointers are refused and counted.</summary>
    public delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void*, void> Deallocate;

    /// <summary><c>StrategyStatus (*get_status)(MemoryStrategy* self)</c>: a <see cref="StrategyStatus"/> value.</summary>
    public delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, int> GetStatus;

    /// <summary><c>bool (*validate)(MemoryStrategy* self)</c>: 1 when the strategy is usable, else 0.</summary>
    public delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, byte> Validate;

    /// <summary><c>void* strategy_data</c>: a <see cref="GCHandle"/> to the managed strategy; null once the handle is disposed.</summary>
    public void* StrategyData;

    /// <summary>
    /// <c>StatusTracker* status_tracker</c>: memory whose first 32-bit integer is the current status (the strategy's
    /// <see cref="MemoryStrategy.StatusTracker.StatusAddress"/>; once the handle is disposed, a word that reads
    /// <see cref="StrategyStatus.Disposed"/>).
    /// </summary>
    public void* StatusTracker;
}
