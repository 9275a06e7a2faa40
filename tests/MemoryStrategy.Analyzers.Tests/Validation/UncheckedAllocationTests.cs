using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<UncheckedAllocationAnalyzer>;

/// <summary>MEM3005: Allocate may return null; check before dereferencing or passing the pointer on.</summary>
public sealed class UncheckedAllocationTests
{
    /// <summary>Pointers kept in fields: the class's own, and a holder's.</summary>
    private const string Fields = "byte* _buffer; Holder _holder = new(); sealed class Holder { public void* Block; public byte* Data { get; set; } } static void Consume(void* p) { } ";

    public static TheoryData<string> Reports => new()
    {
        // a field of the class, a path to a holder's field or property, a parameter
        Fields + "void M(IMemoryStrategy s) { _buffer = (byte*)s.Allocate(8); {|MEM3005:_buffer|}[0] = 1; }",
        Fields + "void M(IMemoryStrategy s) { _holder.Block = s.Allocate(8); Consume({|MEM3005:_holder.Block|}); }",
        Fields + "void M(IMemoryStrategy s, Holder h) { h.Data = (byte*)s.Allocate(8); if (_buffer == null) return; *{|MEM3005:h.Data|} = 1; }",
        "void M(IMemoryStrategy s, byte* p) { p = (byte*)s.Allocate(8); {|MEM3005:p|}[0] = 1; }",
        "void M(IMemoryStrategy s) { byte* p = (byte*)s.Allocate(8); {|MEM3005:p|}[0] = 1; }",
        "void M(IMemoryStrategy s) { void* p = s.Allocate(8); *(int*){|MEM3005:p|} = 1; }",
        "void M(IMemoryStrategy s) { void* p = s.Allocate(8); NativeMemory.Clear({|MEM3005:p|}, 8); }",
        "void M(IMemoryStrategy s) { var span = new Span<byte>({|MEM3005:s.Allocate(8)|}, 8); }",
        "void M(IMemoryStrategy s) { byte* p = (byte*)s.Allocate(8); if (p == null) Console.WriteLine(\"oops\"); {|MEM3005:p|}[0] = 1; }",
        "void M(IMemoryStrategy s) { int* p = (int*)s.Allocate(4); *{|MEM3005:p|} = 5; }",
        "void M(IMemoryStrategy s) { void* p = s.Allocate(8); void* q = s.Allocate(8); if (q == null) return; *(byte*){|MEM3005:p|} = 1; }",
        "void M(Impl s) { byte* p = (byte*)s.Allocate(2); *({|MEM3005:p|} + 1) = 0; }",
        // a call of the class's own code that neither tests nor assigns it
        Fields + "void M(IMemoryStrategy s) { _buffer = (byte*)s.Allocate(8); Log(); {|MEM3005:_buffer|}[0] = 1; } void Log() => Console.WriteLine(\"allocated\");",
        // a copy of an unchecked result
        "void M(IMemoryStrategy s) { byte* p = (byte*)s.Allocate(8); byte* q = p; {|MEM3005:q|}[0] = 1; }",
        // an element
        "void M(IMemoryStrategy s, byte*[] slots) { slots[0] = (byte*)s.Allocate(8); {|MEM3005:slots[0]|}[0] = 1; }",
        // a path kept across code that neither tests nor assigns it
        Fields + "void M(IMemoryStrategy s) { _holder.Block = s.Allocate(8); Log(); Consume({|MEM3005:_holder.Block|}); } void Log() => Console.WriteLine(1);",
    };

    public static TheoryData<string> NearMisses => new()
    {
        // tested, assigned again (an out argument too), the holder replaced, or a call between that may have tested it
        Fields + "static void Fresh(out byte* p) { p = (byte*)NativeMemory.Alloc(8); } void M(IMemoryStrategy s) { _buffer = (byte*)s.Allocate(8); Fresh(out _buffer); _buffer[0] = 1; }",
        Fields + "void M(IMemoryStrategy s) { _buffer = (byte*)s.Allocate(8); if (_buffer == null) return; _buffer[0] = 1; }",
        Fields + "void M(IMemoryStrategy s) { _holder.Block = s.Allocate(8); if (this._holder.Block is not null) Consume(_holder.Block); }",
        Fields + "void M(IMemoryStrategy s, Holder other) { _holder.Data = (byte*)s.Allocate(8); _holder = other; _holder.Data[0] = 1; }",
        Fields + "void M(IMemoryStrategy s) { _buffer = (byte*)s.Allocate(8); EnsureBuffer(); _buffer[0] = 1; } void EnsureBuffer() { if (_buffer == null) _buffer = (byte*)NativeMemory.Alloc(8); }",
        Fields + "void M(IMemoryStrategy s, Holder a, Holder b) { a.Data = (byte*)s.Allocate(8); if (a.Data == null) return; b.Data[0] = 1; }",
        "void M(IMemoryStrategy s) { byte* p = (byte*)s.Allocate(8); if (p == null) return; p[0] = 1; }",
        "void M(IMemoryStrategy s) { void* p = s.Allocate(8); if (p != null) { *(byte*)p = 1; s.Deallocate(p); } }",
        "void M(IMemoryStrategy s) { void* p = s.Allocate(8); if (p is null) throw new OutOfMemoryException(); NativeMemory.Clear(p, 8); }",
        "void M(IMemoryStrategy s) { void* p = s.Allocate(1024); if (p != null && StrategyValidator.ValidateDeallocation(s, p)) { s.Deallocate(p); } }",
        "void M(IMemoryStrategy s) { void* p = s.Allocate(8); s.Deallocate(p); }",
        "void M(IMemoryStrategy s) { void* p = s.Allocate(8); if (StrategyValidator.ValidateDeallocation(s, p)) *(byte*)p = 1; }",
        "void* M(IMemoryStrategy s) { void* p = s.Allocate(8); return p; }",
        "void M(IMemoryStrategy s) { byte* p = (byte*)s.Allocate(8); byte b = 0; p = &b; *p = 1; }",
        "void M(IMemoryStrategy s) { byte* p = (byte*)s.Allocate(8); if (p is not null) { p[1] = 2; } }",
        // the class's own code that tests it
        Fields + "void M(IMemoryStrategy s) { _buffer = (byte*)s.Allocate(8); Check(); _buffer[0] = 1; } void Check() { if (_buffer == null) throw new OutOfMemoryException(); }",
        // a copy checked, or the original checked before the copy is used
        "void M(IMemoryStrategy s) { byte* p = (byte*)s.Allocate(8); byte* q = p; if (p == null) return; q[0] = 1; }",
        "void M(IMemoryStrategy s) { byte* p = (byte*)s.Allocate(8); var q = p; if (q is null) return; p[0] = 1; }",
        // an element tested
        "void M(IMemoryStrategy s, byte*[] slots, int i) { slots[i] = (byte*)s.Allocate(8); if (slots[i] == null) return; slots[i][0] = 1; }",
        // a helper that tests the path's last member
        Fields + "void M(IMemoryStrategy s, Holder h) { h.Data = (byte*)s.Allocate(8); Check(h); h.Data[0] = 1; } static void Check(Holder h) { if (h.Data == null) throw new OutOfMemoryException(); }",
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_unchecked_allocation_results(string members) => Verify.VerifyAsync(Sources.Caller(members));

    [Theory]
    [MemberData(nameof(NearMisses))]
    public Task Does_not_report_checked_or_harmless_uses(string members) => Verify.VerifyAsync(Sources.Caller(members));
}
