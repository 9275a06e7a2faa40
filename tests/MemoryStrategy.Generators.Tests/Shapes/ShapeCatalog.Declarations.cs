namespace MemoryStrategy.Generators.Tests.Shapes;

// Where and how the strategy class is declared: each namespace style, nesting in partial types, accessibility,
// keywords as identifiers, a class that is not itself unsafe.
public static partial class ShapeCatalog
{
    public static readonly Shape GlobalNamespace = new(nameof(GlobalNamespace), """
        using System.Runtime.InteropServices;
        using MemoryStrategy;

        /// <summary>Passes every request to the C heap; no optional marker.</summary>
        [MemoryStrategy]
        public sealed unsafe partial class GlobalHeap
        {
            [Allocate]
            private void* AllocateCore(nuint size) => NativeMemory.Alloc(size);

            [Deallocate]
            private void DeallocateCore(void* ptr) => NativeMemory.Free(ptr);
        }
        """, "GlobalHeap.g.cs");

    public static readonly Shape FileScopedNamespace = new(nameof(FileScopedNamespace), """
        using System.Runtime.InteropServices;
        using System.Threading;
        using MemoryStrategy;

        namespace Samples.Arenas;

        /// <summary>The README's bump arena: every optional marker, a 4 KiB limit.</summary>
        [MemoryStrategy(MaxAllocationSize = 4096)]
        public sealed unsafe partial class BumpArena
        {
            private readonly byte* _start;
            private readonly long _capacity;
            private long _offset;

            /// <summary>Reserves the arena.</summary>
            /// <param name="capacity">Its size in bytes.</param>
            public BumpArena(nint capacity)
            {
                _start = (byte*)NativeMemory.AlignedAlloc((nuint)capacity, 16);
                _capacity = capacity;
            }

            [Allocate]
            private void* AllocateCore(nuint size)
            {
                long aligned = ((long)size + 15) & ~15L;
                long end = Interlocked.Add(ref _offset, aligned);
                return end <= _capacity ? _start + end - aligned : null;
            }

            [Deallocate]
            private void DeallocateCore(void* ptr)
            {
                // Blocks are released all at once by the cleanup.
            }

            [Owns]
            private bool OwnsCore(void* ptr) => ptr >= _start && ptr < _start + Volatile.Read(ref _offset);

            [Validate]
            private bool ValidateCore() => _start != null && Volatile.Read(ref _offset) >= 0;

            [Cleanup]
            private void CleanupCore() => NativeMemory.AlignedFree(_start);
        }
        """, "Samples.Arenas.BumpArena.g.cs");

    public static readonly Shape BlockNamespaceInternalWithOwns = new(nameof(BlockNamespaceInternalWithOwns), """
        namespace Samples.Blocks
        {
            using System.Collections.Concurrent;
            using System.Runtime.InteropServices;
            using MemoryStrategy;

            [MemoryStrategy(MaxAllocationSize = 64)]
            internal unsafe partial class SmallBlocks
            {
                private readonly ConcurrentDictionary<nint, bool> _live = new();

                [Allocate]
                private void* AllocateCore(nuint size)
                {
                    void* block = NativeMemory.Alloc(64);
                    _live[(nint)block] = true;
                    return block;
                }

                [Deallocate]
                private void DeallocateCore(void* ptr)
                {
                    _live.TryRemove((nint)ptr, out _);
                    NativeMemory.Free(ptr);
                }

                [Owns]
                private bool OwnsCore(void* ptr) => _live.ContainsKey((nint)ptr);
            }
        }
        """, "Samples.Blocks.SmallBlocks.g.cs");

    public static readonly Shape NestedInPartialTypes = new(nameof(NestedInPartialTypes), """
        using System.Runtime.InteropServices;
        using MemoryStrategy;

        namespace Samples.Nested;

        /// <summary>A static container.</summary>
        public static partial class Outer
        {
            /// <summary>A record container.</summary>
            public partial record Middle
            {
                /// <summary>A struct container.</summary>
                public partial struct Holder
                {
                    [MemoryStrategy(Name = "nested")]
                    internal sealed unsafe partial class Inner
                    {
                        [Allocate]
                        private void* AllocateCore(nuint size) => NativeMemory.Alloc(size);

                        [Deallocate]
                        private void DeallocateCore(void* ptr) => NativeMemory.Free(ptr);

                        [Validate]
                        private bool ValidateCore() => true;
                    }
                }
            }
        }
        """, "Samples.Nested.Outer.Middle.Holder.Inner.g.cs");

    public static readonly Shape EscapedIdentifiers = new(nameof(EscapedIdentifiers), """
        using System.Runtime.InteropServices;
        using MemoryStrategy;

        namespace Samples.@namespace
        {
            /// <summary>Keywords as identifiers: the namespace and the marker methods.</summary>
            [MemoryStrategy]
            public sealed unsafe partial class Keywords
            {
                [Allocate]
                private void* @new(nuint size) => NativeMemory.Alloc(size);

                [Deallocate]
                private void @delete(void* ptr) => NativeMemory.Free(ptr);

                [Validate]
                private bool @checked() => true;
            }
        }
        """, "Samples.namespace.Keywords.g.cs");

    public static readonly Shape UnsafeMethodsOnly = new(nameof(UnsafeMethodsOnly), """
        using System.Runtime.InteropServices;
        using MemoryStrategy;

        namespace Samples.Methods;

        /// <summary>The class itself is not unsafe; only its marker methods are.</summary>
        [MemoryStrategy(MaxAllocationSize = 128)]
        internal sealed partial class SafeClass
        {
            [Allocate]
            private unsafe void* AllocateCore(nuint size) => NativeMemory.Alloc(size);

            [Deallocate]
            private unsafe void DeallocateCore(void* ptr) => NativeMemory.Free(ptr);

            [Owns]
            private unsafe bool OwnsCore(void* ptr) => ptr != null;

            [Validate]
            private bool ValidateCore() => true;
        }
        """, "Samples.Methods.SafeClass.g.cs");
}
