using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.Analyzers.Tests;

/// <summary>
/// Realistic, correct strategies go through the generator and every analyzer together, as in a user's build: not
/// one diagnostic, from the compiler or from us. This is where the analyzers meet the generated code.
/// </summary>
public sealed class ValidStrategyTests
{
    public static TheoryData<string> Strategies => new()
    {
        // A bump arena: lock-free, Interlocked on the offset, ownership by range.
        """
        [MemoryStrategy(MaxAllocationSize = 4096)]
        public sealed unsafe partial class BumpArena
        {
            private readonly byte* _start;
            private readonly long _capacity;
            private long _offset;

            public BumpArena(byte* start, long capacity) { _start = start; _capacity = capacity; }

            [Allocate]
            private void* AllocateCore(nuint size)
            {
                long end = Interlocked.Add(ref _offset, (long)size);
                return end <= _capacity ? _start + end - (long)size : null;
            }

            [Deallocate] private void DeallocateCore(void* ptr) { }

            [Owns] private bool OwnsCore(void* ptr) => ptr >= _start && ptr < _start + Volatile.Read(ref _offset);

            [Validate] private bool ValidateCore() => _start != null && _capacity > 0;
        }
        """,
        // A free list behind a lock, with guarded state and a statistics field that may be stale.
        """
        [MemoryStrategy(TrackAllocations = true, Name = "locked-list")]
        internal sealed unsafe partial class LockedFreeList
        {
            private readonly Lock _gate = new();
            [GuardedBy(nameof(_gate))] private readonly Stack<nint> _free = new();
            [BenignRace("diagnostic counter, read for display only")] private long _misses;

            [Allocate]
            private void* AllocateCore(nuint size)
            {
                lock (_gate)
                {
                    if (_free.Count > 0)
                    {
                        return (void*)_free.Pop();
                    }
                }

                _misses++;
                return NativeMemory.Alloc(size);
            }

            [Deallocate]
            private void DeallocateCore(void* ptr)
            {
                lock (_gate)
                {
                    _free.Push((nint)ptr);
                }
            }

            [Cleanup]
            private void CleanupCore()
            {
                lock (_gate)
                {
                    while (_free.Count > 0)
                    {
                        NativeMemory.Free((void*)_free.Pop());
                    }
                }
            }

            public long Misses => Volatile.Read(ref _misses);
        }
        """,
        // A pass-through with a lazily created, double-checked helper object, in a block namespace, nested.
        """
        namespace Samples.Nested
        {
            public static partial class Holder
            {
                [MemoryStrategy(TrackAllocations = true)]
                public sealed unsafe partial class PassThrough
                {
                    private static readonly object s_gate = new();
                    private static object? s_shared;
                    private readonly ConcurrentDictionary<nint, nuint> _sizes = new();

                    public static object Shared
                    {
                        get
                        {
                            if (s_shared is null)
                            {
                                lock (s_gate)
                                {
                                    s_shared ??= new object();
                                }
                            }

                            return s_shared;
                        }
                    }

                    [Allocate]
                    private void* AllocateCore(nuint size)
                    {
                        void* ptr = NativeMemory.Alloc(size);
                        if (ptr != null)
                        {
                            _sizes[(nint)ptr] = size;
                        }

                        return ptr;
                    }

                    [Deallocate]
                    private void DeallocateCore(void* ptr)
                    {
                        _sizes.TryRemove((nint)ptr, out _);
                        NativeMemory.Free(ptr);
                    }
                }
            }
        }
        """,
    };

    [Theory]
    [MemberData(nameof(Strategies))]
    public async Task Generator_and_analyzers_together_report_nothing_on_valid_strategies(string strategy)
    {
        PipelineRun run = await PipelineRun.RunAsync(Sources.File(strategy));

        Assert.Empty(run.Crashes());
        Assert.Empty(run.AnalyzerDiagnostics.Where(d => d.Severity != DiagnosticSeverity.Hidden).Select(d => d.ToString() + " " + d.Location.SourceTree?.FilePath));
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()));
    }

    /// <summary>
    /// The runs above analyze the generator's output too: the generator added source, and every strategy implements
    /// <c>IMemoryStrategy</c> through it (so "no diagnostic" is not the silence of an empty compilation).
    /// </summary>
    [Theory]
    [MemberData(nameof(Strategies))]
    public async Task The_generated_code_was_part_of_the_analyzed_compilation(string strategy)
    {
        PipelineRun run = await PipelineRun.RunAsync(Sources.File(strategy));

        Assert.True(run.Output.SyntaxTrees.Count() > 1, "the generator added no source");
        INamedTypeSymbol strategyInterface = run.Output.GetTypeByMetadataName("MemoryStrategy.IMemoryStrategy")!;
        ImmutableArray<INamedTypeSymbol> strategies = [.. run.Output.SyntaxTrees.First().GetRoot().DescendantNodes()
            .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax>()
            .Select(c => (INamedTypeSymbol)run.Output.GetSemanticModel(c.SyntaxTree).GetDeclaredSymbol(c)!)
            .Where(s => s.GetAttributes().Any(a => a.AttributeClass?.Name == "MemoryStrategyAttribute"))];
        Assert.NotEmpty(strategies);
        Assert.All(strategies, s => Assert.Contains(strategyInterface, s.AllInterfaces, SymbolEqualityComparer.Default));
    }
}
