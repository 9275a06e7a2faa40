using MemoryStrategy.Analyzers;
using MemoryStrategy.CodeFixes;

namespace MemoryStrategy.Analyzers.Tests;

/// <summary>The MEM3002 fix (<c>TrackAllocationsFix</c>): turns on <c>TrackAllocations</c>, alone and through Fix All.</summary>
public sealed class TrackAllocationsFixTests
{
    [Fact]
    public Task MEM3002_adds_track_allocations() => CodeFixVerifier<DeallocationValidationAnalyzer, TrackAllocationsFix>.VerifyAsync(
        Sources.File("[{|MEM3002:MemoryStrategy|}] public unsafe partial class S { [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } }"),
        Sources.File("[MemoryStrategy(TrackAllocations = true)] public unsafe partial class S { [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } }"));

    [Fact]
    public Task MEM3002_fix_all_turns_false_into_true_and_extends_argument_lists() => CodeFixVerifier<DeallocationValidationAnalyzer, TrackAllocationsFix>.VerifyAsync(
        Sources.File("[{|MEM3002:MemoryStrategy(TrackAllocations = false)|}] public unsafe partial class S { [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } }\n"
            + "[{|MEM3002:MemoryStrategy(MaxAllocationSize = 64)|}] public unsafe partial class T { [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } }"),
        Sources.File("[MemoryStrategy(TrackAllocations = true)] public unsafe partial class S { [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } }\n"
            + "[MemoryStrategy(MaxAllocationSize = 64, TrackAllocations = true)] public unsafe partial class T { [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } }"));
}
