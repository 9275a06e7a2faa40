namespace MemoryStrategy;

/// <summary>Facts about the MemoryStrategy runtime library.</summary>
public static class RuntimeInfo
{
    /// <summary>
    /// The version of the C ABI implemented by the native vtable (<c>include/memory_strategy.h</c>): the C interface's
    /// <c>MemoryStrategy</c> struct, unchanged.
    /// </summary>
    public const int NativeAbiVersion = 1;
}
