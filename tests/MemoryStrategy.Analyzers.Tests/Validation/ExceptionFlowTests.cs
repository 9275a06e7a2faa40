using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

/// <summary>
/// MEM3003, MEM3005 and MEM3006 follow try/finally and catch: a finally runs on the way out of its try and the code
/// after it goes on from the finally's end; a catch starts from any state of its try. MEM3005 is silent on a
/// pointer that is only cast to a number or stored.
/// </summary>
public sealed class ExceptionFlowTests
{
    private const string Work = "static void Work() { } ";

    public static TheoryData<string> UseAfterDeallocate => new()
    {
        // the double free a refactor into try/finally leaves behind
        Work + "void M(IMemoryStrategy s, void* b) { try { Work(); } finally { s.Deallocate(b); } {|MEM3006:s.Deallocate(b)|}; }",
        Work + "void M(IMemoryStrategy s, void* b) { s.Deallocate(b); try { Work(); } catch { {|MEM3006:s.Deallocate(b)|}; } }",
        Work + "void M(IMemoryStrategy s, void* b) { try { s.Deallocate(b); } finally { *(byte*){|MEM3006:b|} = 1; } }",
    };

    public static TheoryData<string> UseAfterDeallocateQuiet => new()
    {
        Work + "void M(IMemoryStrategy s, void* b) { try { Work(); } finally { s.Deallocate(b); } }",
        Work + "void M(IMemoryStrategy s, void* b) { try { s.Deallocate(b); } catch { s.Deallocate(b); } }",
        Work + "void M(IMemoryStrategy s, void* b) { try { Work(); } finally { s.Deallocate(b); b = null; } s.Deallocate(b); }",
    };

    public static TheoryData<string> UncheckedAllocation => new()
    {
        Work + "void M(IMemoryStrategy s) { void* p = s.Allocate(8); try { Work(); } finally { *(byte*){|MEM3005:p|} = 0; } }",
        Work + "void M(IMemoryStrategy s) { void* p = s.Allocate(8); try { Work(); } catch { *(byte*){|MEM3005:p|} = 0; } }",
    };

    public static TheoryData<string> UncheckedAllocationQuiet => new()
    {
        Work + "void M(IMemoryStrategy s) { void* p = s.Allocate(8); try { if (p == null) return; Work(); } finally { } *(byte*)p = 0; }",
        "void M(IMemoryStrategy s, List<nint> log) { void* p = s.Allocate(8); log.Add((nint)p); }",
        "void M(IMemoryStrategy s) { Console.WriteLine((nint)s.Allocate(8)); }",
        "nint _last; void M(IMemoryStrategy s) { void* p = s.Allocate(8); Volatile.Write(ref _last, (nint)p); }",
        "void*[] _slots = new void*[4]; void M(IMemoryStrategy s) { void* p = s.Allocate(8); _slots[0] = p; }",
        "Free _free = new(); void M(IMemoryStrategy s) { void* p = s.Allocate(8); _free.Push(p); } sealed class Free { public void Push(void* p) { } }",
    };

    public static TheoryData<string> UseBeforeValidation => new()
    {
        Work + "void M(IMemoryStrategy s) { try { Work(); } finally { {|MEM3003:s.Allocate(8)|}; } }",
        Work + "void M(IMemoryStrategy s) { try { if (!s.Validate()) return; Work(); } catch { {|MEM3003:s.Allocate(1)|}; } }",
    };

    public static TheoryData<string> UseBeforeValidationQuiet => new()
    {
        Work + "void M(IMemoryStrategy s) { if (!s.Validate()) return; try { Work(); } finally { s.Deallocate(null); } }",
        Work + "void M(IMemoryStrategy s) { try { Work(); } finally { if (s.Validate()) s.Deallocate(null); } }",
    };

    [Theory]
    [MemberData(nameof(UseAfterDeallocate))]
    [MemberData(nameof(UseAfterDeallocateQuiet))]
    public Task Use_after_deallocate_follows_exception_handling(string members) =>
        AnalyzerVerifier<UseAfterDeallocateAnalyzer>.VerifyAsync(Sources.Caller(members));

    [Theory]
    [MemberData(nameof(UncheckedAllocation))]
    [MemberData(nameof(UncheckedAllocationQuiet))]
    public Task Unchecked_allocation_follows_exception_handling_and_ignores_casts_and_stores(string members) =>
        AnalyzerVerifier<UncheckedAllocationAnalyzer>.VerifyAsync(Sources.Caller(members));

    [Theory]
    [MemberData(nameof(UseBeforeValidation))]
    [MemberData(nameof(UseBeforeValidationQuiet))]
    public Task Use_before_validation_follows_exception_handling(string members) =>
        AnalyzerVerifier<UseBeforeValidationAnalyzer>.VerifyAsync(Sources.Caller(members));
}
